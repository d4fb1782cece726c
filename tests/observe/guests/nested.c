// Nested manual spans with tags, a log at every level, each metric type, and memory growth.
#include <stdlib.h>
#include "observe_api.h"

__attribute__((noinline)) static void work(int n) {
  span_enter("work");
  span_tags("item:42,kind:batch");
  for (int level = 1; level <= 5; ++level) log_at(level, "message at a level");
  metric("jobs.done:1|c");
  metric("queue.depth:7|g|#queue:main");
  metric("step.time:12.5|ms");
  metric("payload.size:512|h|@0.5");
  metric("this line is not statsd");
  // Grow memory by 4 MiB, reporting it first as an instrumentation compiler does.
  observe_memory_grow(64);
  __builtin_wasm_memory_grow(0, 64);
  volatile char* block = malloc(16);
  block[0] = (char)n;
  span_exit();
}

int main(void) {
  span_enter("outer");
  work(1);
  span_enter("quick");  // shorter than 20 us, but tagged: kept
  span_tags("fast:yes");
  span_exit();
  span_enter("empty");  // shorter than 20 us and carrying nothing: dropped
  span_exit();
  span_exit();
  return 0;
}
