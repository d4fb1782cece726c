#include "lantern/observe/sampler.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace lantern::observe {

bool Sampler::should_sample(const std::optional<SpanContext>& parent,
                            const TraceId& trace_id) const {
  if (parent_based_ && parent && parent->valid()) return parent->sampled;
  switch (root_) {
    case Root::AlwaysOn: return true;
    case Root::AlwaysOff: return false;
    case Root::Ratio: {
      if (ratio_ >= 1.0) return true;
      uint64_t low = 0;
      for (int i = 8; i < 16; ++i) low = (low << 8) | trace_id.bytes[i];
      // Compared as integers: a double cannot tell ids near the threshold apart.
      uint64_t threshold = static_cast<uint64_t>(ratio_ * 18446744073709551616.0);
      return low < threshold;
    }
  }
  return true;
}

Expected<Sampler> sampler_from_env(std::string_view name, std::string_view arg) {
  double ratio = 1.0;
  bool uses_ratio = name == "traceidratio" || name == "parentbased_traceidratio";
  if (uses_ratio && !arg.empty()) {
    std::string text(arg);
    char* end = nullptr;
    errno = 0;
    ratio = std::strtod(text.c_str(), &end);
    if (errno != 0 || end != text.c_str() + text.size() || !(ratio >= 0.0 && ratio <= 1.0)) {
      return make_error(Phase::Config,
                        "OTEL_TRACES_SAMPLER_ARG '" + text + "' is not a ratio in [0, 1]");
    }
  }
  if (name.empty() || name == "parentbased_always_on") {
    return Sampler(Sampler::Root::AlwaysOn, 1, true);
  }
  if (name == "always_on") return Sampler(Sampler::Root::AlwaysOn, 1, false);
  if (name == "always_off") return Sampler(Sampler::Root::AlwaysOff, 0, false);
  if (name == "parentbased_always_off") return Sampler(Sampler::Root::AlwaysOff, 0, true);
  if (name == "traceidratio") return Sampler(Sampler::Root::Ratio, ratio, false);
  if (name == "parentbased_traceidratio") return Sampler(Sampler::Root::Ratio, ratio, true);
  return make_error(Phase::Config,
                    "OTEL_TRACES_SAMPLER '" + std::string(name) + "' is not a known sampler");
}

}  // namespace lantern::observe
