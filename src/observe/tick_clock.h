// A cheap timestamp for traced calls: the CPU's time-stamp counter on x86-64 (about a third of
// clock_gettime's cost), CLOCK_MONOTONIC nanoseconds elsewhere. Ticks convert to Unix
// nanoseconds with a rate calibrated against the system clocks.
#pragma once

#include <cstdint>

namespace lantern::observe {

class TickClock {
 public:
  TickClock();  // calibrates for ~200 us on x86-64

  static uint64_t now();
  uint64_t ticks_for_ns(uint64_t ns) const;
  uint64_t to_unix_ns(uint64_t ticks) const;
  // Re-measures the tick rate over everything since construction (more precise as time passes).
  void recalibrate();

 private:
  uint64_t tick0_ = 0;
  uint64_t mono0_ = 0;
  uint64_t real0_ = 0;
  double ns_per_tick_ = 1.0;
};

}  // namespace lantern::observe
