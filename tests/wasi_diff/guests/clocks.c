// Clocks: prints properties only, never times, so both runtimes print the same lines.
// Monotonic time never goes back, realtime is after 2020, every clock has a resolution > 0, and
// a sleep (nanosleep, which is poll_oneoff with a relative clock subscription) lasts at least as
// long as asked.
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <wasi/api.h>

#include "errno_name.h"

static uint64_t now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  __wasi_errno_t e = __wasi_clock_time_get(id, 1, &t);
  if (e != 0) printf("clock_time_get(%u): %s\n", (unsigned)id, errno_name(e));
  return t;
}

static const char* verdict(int ok) { return ok ? "yes" : "NO"; }

int main(void) {
  const char* names[] = {"realtime", "monotonic", "process_cputime", "thread_cputime"};
  for (__wasi_clockid_t id = 0; id < 4; ++id) {
    __wasi_timestamp_t res = 0;
    __wasi_errno_t e = __wasi_clock_res_get(id, &res);
    printf("%s: res_get %s, resolution > 0: %s\n", names[id], errno_name(e), verdict(res > 0));
  }
  __wasi_timestamp_t res;
  printf("unknown clock: res_get %s\n", errno_name(__wasi_clock_res_get(17, &res)));

  uint64_t previous = now(__WASI_CLOCKID_MONOTONIC);
  int steady = 1;
  for (int i = 0; i < 10000; ++i) {
    uint64_t t = now(__WASI_CLOCKID_MONOTONIC);
    if (t < previous) steady = 0;
    previous = t;
  }
  printf("monotonic never goes back: %s\n", verdict(steady));

  const uint64_t jan_2020 = 1577836800ull * 1000000000ull;
  printf("realtime after 2020: %s\n", verdict(now(__WASI_CLOCKID_REALTIME) > jan_2020));
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("clock_gettime realtime after 2020: %s\n", verdict(ts.tv_sec > 1577836800));
  time_t seconds = time(NULL);
  printf("time() agrees with the realtime clock: %s\n",
         verdict(seconds - (time_t)(now(__WASI_CLOCKID_REALTIME) / 1000000000ull) <= 1));

  const uint64_t wanted_ns = 30 * 1000000ull;
  uint64_t start = now(__WASI_CLOCKID_MONOTONIC);
  struct timespec nap = {0, (long)wanted_ns};
  int rc = nanosleep(&nap, NULL);
  uint64_t slept = now(__WASI_CLOCKID_MONOTONIC) - start;
  printf("nanosleep 30ms: rc=%d, lasted at least 30ms: %s\n", rc, verdict(slept >= wanted_ns));
  return 0;
}
