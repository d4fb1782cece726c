// proc_exit inside nested spans: both spans are exported and the exit code recorded.
#include <stdio.h>
#include <stdlib.h>
#include "observe_api.h"

int main(void) {
  printf("TRACEPARENT=%s\n", getenv("TRACEPARENT"));
  fflush(stdout);
  span_enter("outer");
  span_enter("inner");
  span_tags("exiting:soon");
  exit(7);
}
