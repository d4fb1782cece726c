// OpenTelemetry trace samplers, configured as the SDKs read OTEL_TRACES_SAMPLER and
// OTEL_TRACES_SAMPLER_ARG.
#pragma once

#include <optional>
#include <string_view>

#include "lantern/observe/telemetry.h"
#include "lantern/util/expected.h"

namespace lantern::observe {

class Sampler {
 public:
  enum class Root { AlwaysOn, AlwaysOff, Ratio };
  Sampler(Root root, double ratio, bool parent_based)
      : root_(root), ratio_(ratio), parent_based_(parent_based) {}

  // A valid parent decides for a parent-based sampler; otherwise the root sampler does.
  // traceidratio keeps a trace when the id's lower 8 bytes, as a big-endian integer, are below
  // ratio * 2^64, so every service sampling at the same ratio agrees on the same traces.
  bool should_sample(const std::optional<SpanContext>& parent, const TraceId& trace_id) const;

 private:
  Root root_;
  double ratio_;
  bool parent_based_;
};

// Empty `name` = the default parentbased_always_on. Errors name the variable at fault.
Expected<Sampler> sampler_from_env(std::string_view name, std::string_view arg);

}  // namespace lantern::observe
