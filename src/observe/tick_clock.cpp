#include "observe/tick_clock.h"

#include <time.h>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace lantern::observe {
namespace {

uint64_t clock_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

constexpr uint64_t kCalibrationNs = 200'000;
constexpr uint64_t kRecalibrateAfterNs = 10'000'000;

}  // namespace

uint64_t TickClock::now() {
#if defined(__x86_64__)
  return __rdtsc();
#else
  return clock_ns(CLOCK_MONOTONIC);
#endif
}

TickClock::TickClock() {
  tick0_ = now();
  mono0_ = clock_ns(CLOCK_MONOTONIC);
  real0_ = clock_ns(CLOCK_REALTIME);
#if defined(__x86_64__)
  uint64_t mono = mono0_;
  uint64_t tick = tick0_;
  while (mono - mono0_ < kCalibrationNs) {
    tick = now();
    mono = clock_ns(CLOCK_MONOTONIC);
  }
  if (tick > tick0_) ns_per_tick_ = static_cast<double>(mono - mono0_) / (tick - tick0_);
#endif
}

uint64_t TickClock::ticks_for_ns(uint64_t ns) const {
  return static_cast<uint64_t>(static_cast<double>(ns) / ns_per_tick_);
}

uint64_t TickClock::to_unix_ns(uint64_t ticks) const {
  // The offset goes through double, the epoch does not: doubles cannot hold Unix nanoseconds.
  int64_t delta = static_cast<int64_t>(ticks - tick0_);
  int64_t offset = static_cast<int64_t>(static_cast<double>(delta) * ns_per_tick_);
  return real0_ + static_cast<uint64_t>(offset);
}

void TickClock::recalibrate() {
#if defined(__x86_64__)
  uint64_t tick = now();
  uint64_t mono = clock_ns(CLOCK_MONOTONIC);
  if (mono - mono0_ >= kRecalibrateAfterNs && tick > tick0_) {
    ns_per_tick_ = static_cast<double>(mono - mono0_) / (tick - tick0_);
  }
#endif
}

}  // namespace lantern::observe
