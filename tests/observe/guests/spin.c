// Loops forever inside a span: a --timeout must still export it.
#include "observe_api.h"

int main(void) {
  span_enter("spinning");
  volatile unsigned long n = 0;
  for (;;) ++n;
}
