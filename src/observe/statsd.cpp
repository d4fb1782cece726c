#include "lantern/observe/statsd.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

namespace lantern::observe {
namespace {

constexpr size_t kQuotedLineMax = 120;  // longer lines are cut in error messages

class LineError {
 public:
  explicit LineError(std::string_view line) : line_(line) {}
  Unexpected operator()(const std::string& problem) const {
    std::string quoted(line_.substr(0, kQuotedLineMax));
    if (line_.size() > kQuotedLineMax) quoted += "...";
    return make_error(Phase::Execute, "metric line '" + quoted + "': " + problem);
  }

 private:
  std::string_view line_;
};

// A finite decimal number with an optional sign ("+3", "-2.5", ".5", "1e3"); no spaces, no
// "inf"/"nan", no hex.
std::optional<double> decimal(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() ||
      !(std::isdigit(static_cast<unsigned char>(text.front())) || text.front() == '.')) {
    return std::nullopt;
  }
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

// Splits `rest` at the next '|': returns the part before it and drops it (and the '|') from rest.
std::string_view take_field(std::string_view& rest) {
  size_t bar = rest.find('|');
  std::string_view field = rest.substr(0, bar);
  rest.remove_prefix(bar == std::string_view::npos ? rest.size() : bar + 1);
  return field;
}

std::optional<std::string> set_kind(std::string_view type, MetricPoint& point) {
  if (type == "c") {
    point.kind = MetricKind::Counter;
  } else if (type == "g") {
    point.kind = MetricKind::Gauge;
  } else if (type == "ms") {
    point.kind = MetricKind::Timer;
    point.unit = "ms";
  } else if (type == "h" || type == "d") {
    point.kind = MetricKind::Histogram;
  } else if (type.empty()) {
    return "missing '|type'";
  } else if (type == "s") {
    return "set metrics ('s') are not supported";
  } else {
    return "unknown metric type '" + std::string(type) + "' (expected c, g, ms, h or d)";
  }
  return std::nullopt;
}

std::optional<std::string> add_tags(std::string_view tags, Attributes& attributes) {
  while (!tags.empty()) {
    size_t comma = tags.find(',');
    std::string_view tag = tags.substr(0, comma);
    tags.remove_prefix(comma == std::string_view::npos ? tags.size() : comma + 1);
    if (tag.empty()) continue;  // "#a,,b" and a trailing ',' are harmless
    size_t colon = tag.find(':');
    if (colon == 0) return "tag '" + std::string(tag) + "' has an empty name";
    std::string_view value =
        colon == std::string_view::npos ? std::string_view() : tag.substr(colon + 1);
    attributes.push_back({std::string(tag.substr(0, colon)), std::string(value)});
  }
  return std::nullopt;
}

std::optional<std::string> set_timestamp(std::string_view text, uint64_t& time_unix_ns) {
  uint64_t seconds = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  constexpr uint64_t kMaxSeconds = std::numeric_limits<uint64_t>::max() / 1'000'000'000;
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      seconds > kMaxSeconds) {
    return "timestamp '" + std::string(text) + "' is not a whole number of seconds";
  }
  time_unix_ns = seconds * 1'000'000'000;
  return std::nullopt;
}

}  // namespace

Expected<MetricPoint> parse_statsd(std::string_view line, uint64_t time_unix_ns) {
  LineError fail(line);
  std::string_view rest = line;
  std::string_view head = take_field(rest);  // name:value
  if (head.size() == line.size()) return fail("missing '|type'");
  size_t colon = head.find(':');
  if (colon == std::string_view::npos) return fail("missing ':value' after the name");

  MetricPoint point;
  point.time_unix_ns = time_unix_ns;
  std::string_view name = head.substr(0, colon);
  if (name.empty()) return fail("empty metric name");
  if (size_t bad = name.find_first_of("@#"); bad != std::string_view::npos) {
    return fail("metric name '" + std::string(name) + "' contains '" + name[bad] + "'");
  }
  point.name.assign(name);

  std::string_view value = head.substr(colon + 1);
  if (value.empty()) return fail("missing value after ':'");
  if (value.find(':') != std::string_view::npos) {
    return fail("value '" + std::string(value) +
                "' holds a ':' (names cannot contain ':'; packed values are not supported)");
  }
  std::optional<double> number = decimal(value);
  if (!number) return fail("value '" + std::string(value) + "' is not a number");
  point.value = *number;

  if (auto problem = set_kind(take_field(rest), point)) return fail(*problem);
  if (point.kind == MetricKind::Gauge && (value.front() == '+' || value.front() == '-')) {
    point.attributes.push_back({"statsd.delta", true});
  }

  bool seen_rate = false, seen_tags = false, seen_time = false;
  while (!rest.empty()) {
    std::string_view field = take_field(rest);
    if (field.empty()) continue;
    std::optional<std::string> problem;
    switch (field.front()) {
      case '@': {
        if (seen_rate) return fail("sample rate given twice");
        seen_rate = true;
        std::optional<double> rate = decimal(field.substr(1));
        if (!rate) {
          problem = "sample rate '" + std::string(field.substr(1)) + "' is not a number";
        } else if (!(*rate > 0 && *rate <= 1)) {
          problem = "sample rate must be in (0, 1], got '" + std::string(field.substr(1)) + "'";
        } else {
          point.sample_rate = *rate;
        }
        break;
      }
      case '#':
        if (seen_tags) return fail("tags given twice");
        seen_tags = true;
        problem = add_tags(field.substr(1), point.attributes);
        break;
      case 'T':
        if (seen_time) return fail("timestamp given twice");
        seen_time = true;
        problem = set_timestamp(field.substr(1), point.time_unix_ns);
        break;
      default: problem = "unknown field '" + std::string(field) + "'";
    }
    if (problem) return fail(*problem);
  }
  return point;
}

std::vector<Expected<MetricPoint>> parse_statsd_lines(std::string_view text,
                                                      uint64_t time_unix_ns) {
  std::vector<Expected<MetricPoint>> points;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) points.push_back(parse_statsd(line, time_unix_ns));
  }
  return points;
}

}  // namespace lantern::observe
