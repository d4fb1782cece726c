// A trap inside nested spans: every open span must be exported, the innermost with the error.
#include "observe_api.h"

__attribute__((noinline)) static int divide(volatile int a, volatile int b) { return a / b; }

int main(void) {
  span_enter("outer");
  span_enter("middle");
  span_enter("inner");
  log_at(3, "about to divide");
  int r = divide(1, 0);
  span_exit();
  span_exit();
  span_exit();
  return r;
}
