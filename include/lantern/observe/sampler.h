// OpenTelemetry trace samplers, configured the way the SDKs read OTEL_TRACES_SAMPLER and
// OTEL_TRACES_SAMPLER_ARG: always_on, always_off, traceidratio, parentbased_always_on (the
// default), parentbased_always_off, parentbased_traceidratio.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lantern/observe/telemetry.h"
#include "lantern/util/expected.h"

namespace lantern::observe {

class Sampler {
 public:
  enum class Root : uint8_t { AlwaysOn, AlwaysOff, Ratio };

  // parentbased_always_on, the SDK default.
  Sampler() = default;
  // `ratio` is used by Root::Ratio only; it is clamped to [0, 1] (NaN counts as 0).
  Sampler(Root root, double ratio, bool parent_based);

  // Parent-based: a valid parent's sampled flag decides; without one (or with an invalid one)
  // the root sampler does. Non-parent-based samplers ignore the parent's flag.
  //
  // The ratio sampler follows the current OpenTelemetry specification (consistent probability
  // sampling over W3C Trace Context Level 2 randomness): the randomness R is the trace id's
  // lower 56 bits (bytes 9..15, big-endian) or, when the parent's tracestate carries an explicit
  // `ot=...;rv:<14 hex>`, that value; the trace is kept when R >= T, the rejection threshold
  // T = 2^56 - round(ratio * 2^56). So ratio 0 keeps nothing, 1 everything, a higher ratio keeps
  // a superset of what a lower one keeps, and every service at the same ratio agrees.
  bool should_sample(const std::optional<SpanContext>& parent, const TraceId& trace_id) const;

  Root root() const { return root_; }
  bool parent_based() const { return parent_based_; }
  double ratio() const { return ratio_; }
  uint64_t threshold() const { return threshold_; }  // T above; 0 = keep all, 2^56 = none
  // The OTEL_TRACES_SAMPLER value naming this sampler ("parentbased_traceidratio").
  std::string_view env_name() const;
  // The SDKs' GetDescription: "AlwaysOnSampler", "TraceIdRatioBased{0.250000}",
  // "ParentBased{root=AlwaysOffSampler}".
  std::string description() const;

 private:
  Root root_ = Root::AlwaysOn;
  bool parent_based_ = true;
  double ratio_ = 1.0;
  uint64_t threshold_ = 0;
};

// The sampler named by OTEL_TRACES_SAMPLER (`name`, case-insensitive, surrounding spaces
// ignored; empty = the default parentbased_always_on) with OTEL_TRACES_SAMPLER_ARG (`arg`: the
// ratio in [0, 1] for the two ratio samplers, default 1.0; ignored by the others). An unknown
// name or an invalid ratio is an error (phase Config) naming the variable at fault.
Expected<Sampler> sampler_from_env(std::string_view name, std::string_view arg);

// The specification's lenient reading of the same variables: an unknown sampler name falls
// back to parentbased_always_on, an invalid OTEL_TRACES_SAMPLER_ARG is treated as unset (ratio
// 1.0); each problem is appended to `warnings` for the caller to report.
Sampler sampler_from_env_or_default(std::string_view name, std::string_view arg,
                                    std::vector<Error>& warnings);

}  // namespace lantern::observe
