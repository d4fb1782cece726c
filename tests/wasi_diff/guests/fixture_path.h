// Paths under the fixture's preopen for the guests that take its guest path as argv[1].
#pragma once
#include <stdio.h>

static char root[256];

// "<root>/<rel>"; four buffers in rotation, so one call may use a few at once.
static const char* at(const char* rel) {
  static char paths[4][512];
  static int next;
  char* p = paths[next++ % 4];
  snprintf(p, sizeof paths[0], "%s/%s", root, rel);
  return p;
}
