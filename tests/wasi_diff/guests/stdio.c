// Standard streams: isatty of fds 0-2 (false when the test redirects them to files), writes with
// several iovecs, empty writes, stdout and stderr kept apart, and 200 KB of output in one go.
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "errno_name.h"

int main(void) {
  for (int fd = 0; fd < 3; ++fd) printf("isatty(%d)=%d\n", fd, isatty(fd));
  fflush(stdout);
  struct iovec parts[4] = {{"one ", 4}, {"", 0}, {"two ", 4}, {"three\n", 6}};
  printf("writev -> %zd\n", writev(1, parts, 4));
  printf("empty write -> %zd\n", write(1, "", 0));
  fflush(stdout);
  const char* err = "to stderr\n";
  printf("write to stderr -> %zd\n", write(2, err, strlen(err)));
  printf("read from stdout -> %zd (%s)\n", read(1, (char[4]){0}, 4), errno_name(errno));
  static char big[200000];
  for (size_t i = 0; i < sizeof big; ++i) big[i] = (char)('a' + i % 26);
  for (size_t i = 99; i < sizeof big; i += 100) big[i] = '\n';
  fflush(stdout);
  printf("big write -> %zd\n", write(1, big, sizeof big));
  return 0;
}
