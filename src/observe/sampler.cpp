#include "lantern/observe/sampler.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace lantern::observe {
namespace {

constexpr uint64_t kRandomnessRange = uint64_t{1} << 56;  // R and T are 56-bit values

// The OpenTelemetry tracestate entry `ot=...;rv:<14 lowercase hex>;...`: an explicit
// randomness value that replaces the trace id's bits.
std::optional<uint64_t> explicit_randomness(std::string_view trace_state) {
  while (!trace_state.empty()) {
    size_t comma = trace_state.find(',');
    std::string_view member = trace_state.substr(0, comma);
    trace_state.remove_prefix(comma == std::string_view::npos ? trace_state.size() : comma + 1);
    size_t start = member.find_first_not_of(" \t");
    if (start == std::string_view::npos || member.substr(start, 3) != "ot=") continue;
    std::string_view entries = member.substr(start + 3);
    while (!entries.empty()) {
      size_t semicolon = entries.find(';');
      std::string_view entry = entries.substr(0, semicolon);
      entries.remove_prefix(semicolon == std::string_view::npos ? entries.size() : semicolon + 1);
      if (!entry.starts_with("rv:") || entry.size() != 3 + 14) continue;
      uint64_t value = 0;
      for (char c : entry.substr(3)) {
        int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (digit < 0) return std::nullopt;
        value = value << 4 | static_cast<uint64_t>(digit);
      }
      return value;
    }
    return std::nullopt;  // only one `ot` member may exist
  }
  return std::nullopt;
}

uint64_t low_56_bits(const TraceId& trace_id) {
  uint64_t value = 0;
  for (size_t i = 9; i < 16; ++i) value = value << 8 | trace_id.bytes[i];
  return value;
}

struct Known {
  std::string_view name;
  Sampler::Root root;
  bool parent_based;
};
constexpr Known kKnown[] = {
    {"always_on", Sampler::Root::AlwaysOn, false},
    {"always_off", Sampler::Root::AlwaysOff, false},
    {"traceidratio", Sampler::Root::Ratio, false},
    {"parentbased_always_on", Sampler::Root::AlwaysOn, true},
    {"parentbased_always_off", Sampler::Root::AlwaysOff, true},
    {"parentbased_traceidratio", Sampler::Root::Ratio, true},
};

std::string_view trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

Sampler::Sampler(Root root, double ratio, bool parent_based)
    : root_(root), parent_based_(parent_based) {
  ratio_ = ratio >= 0 ? std::min(ratio, 1.0) : 0.0;  // NaN fails the comparison too
  if (root_ == Root::AlwaysOn) ratio_ = 1.0;
  if (root_ == Root::AlwaysOff) ratio_ = 0.0;
  // ratio * 2^56 is exact in binary floating point; only the rounding to an integer is chosen.
  auto kept = static_cast<uint64_t>(std::llround(std::ldexp(ratio_, 56)));
  threshold_ = kRandomnessRange - kept;
}

bool Sampler::should_sample(const std::optional<SpanContext>& parent,
                            const TraceId& trace_id) const {
  bool has_parent = parent && parent->valid();
  if (parent_based_ && has_parent) return parent->sampled;
  switch (root_) {
    case Root::AlwaysOn: return true;
    case Root::AlwaysOff: return false;
    case Root::Ratio: {
      std::optional<uint64_t> rv;
      if (has_parent) rv = explicit_randomness(parent->trace_state);
      uint64_t randomness = rv ? *rv : low_56_bits(trace_id);
      return randomness >= threshold_;
    }
  }
  return true;
}

std::string_view Sampler::env_name() const {
  for (const Known& known : kKnown) {
    if (known.root == root_ && known.parent_based == parent_based_) return known.name;
  }
  return "parentbased_always_on";
}

std::string Sampler::description() const {
  std::string root;
  switch (root_) {
    case Root::AlwaysOn: root = "AlwaysOnSampler"; break;
    case Root::AlwaysOff: root = "AlwaysOffSampler"; break;
    case Root::Ratio: {
      char ratio[32];
      std::snprintf(ratio, sizeof ratio, "%f", ratio_);
      root = std::string("TraceIdRatioBased{") + ratio + "}";
      break;
    }
  }
  return parent_based_ ? "ParentBased{root=" + root + "}" : root;
}

Expected<Sampler> sampler_from_env(std::string_view name, std::string_view arg) {
  std::string key = lowercase(trim(name));
  if (key.empty()) return Sampler();
  const Known* known = nullptr;
  for (const Known& k : kKnown) {
    if (k.name == key) known = &k;
  }
  if (!known) {
    std::string why = key == "jaeger_remote" || key == "parentbased_jaeger_remote" || key == "xray"
                          ? "is not supported by Lantern"
                          : "is not a known sampler";
    return make_error(Phase::Config, "OTEL_TRACES_SAMPLER '" + std::string(name) + "' " + why +
                                         " (always_on, always_off, traceidratio, "
                                         "parentbased_always_on, parentbased_always_off, "
                                         "parentbased_traceidratio)");
  }
  double ratio = 1.0;
  std::string_view text = trim(arg);
  if (known->root == Sampler::Root::Ratio && !text.empty()) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ratio);
    if (error != std::errc() || end != text.data() + text.size() || !(ratio >= 0 && ratio <= 1)) {
      return make_error(Phase::Config, "OTEL_TRACES_SAMPLER_ARG '" + std::string(arg) +
                                           "' is not a ratio in [0, 1] for " + key);
    }
  }
  return Sampler(known->root, ratio, known->parent_based);
}

Sampler sampler_from_env_or_default(std::string_view name, std::string_view arg,
                                    std::vector<Error>& warnings) {
  auto sampler = sampler_from_env(name, arg);
  if (sampler) return *sampler;
  warnings.push_back(sampler.error());
  // Was it the argument? Then the sampler without it (ratio 1.0); else the default.
  auto without_arg = sampler_from_env(name, "");
  return without_arg ? *without_arg : Sampler();
}

}  // namespace lantern::observe
