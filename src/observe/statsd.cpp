#include "lantern/observe/statsd.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace lantern::observe {
namespace {

Unexpected bad(std::string_view line, const std::string& why) {
  return make_error(Phase::Execute,
                    "metric line '" + std::string(line.substr(0, 200)) + "': " + why);
}

bool parse_number(std::string_view text, double& out) {
  if (text.empty()) return false;
  std::string copy(text);
  char* end = nullptr;
  errno = 0;
  out = std::strtod(copy.c_str(), &end);
  return errno == 0 && end == copy.c_str() + copy.size() && std::isfinite(out);
}

}  // namespace

Expected<MetricPoint> parse_statsd(std::string_view line, uint64_t time_unix_ns) {
  size_t colon = line.find(':');
  size_t bar = line.find('|');
  if (colon == std::string_view::npos || bar == std::string_view::npos || bar < colon) {
    return bad(line, "expected name:value|type");
  }
  MetricPoint point;
  point.time_unix_ns = time_unix_ns;
  std::string_view name = line.substr(0, colon);
  if (name.empty()) return bad(line, "empty metric name");
  if (name.find_first_of("|@#") != std::string_view::npos) {
    return bad(line, "metric name contains '|', '@' or '#'");
  }
  point.name.assign(name);
  std::string_view value = line.substr(colon + 1, bar - colon - 1);
  std::string_view rest = line.substr(bar + 1);
  std::string_view type = rest.substr(0, rest.find('|'));
  rest.remove_prefix(type.size() == rest.size() ? rest.size() : type.size() + 1);

  if (type == "c") {
    point.kind = MetricKind::Counter;
  } else if (type == "g") {
    point.kind = MetricKind::Gauge;
  } else if (type == "ms") {
    point.kind = MetricKind::Timer;
    point.unit = "ms";
  } else if (type == "h" || type == "d") {
    point.kind = MetricKind::Histogram;
  } else {
    return bad(line, "unknown metric type '" + std::string(type) + "' (use c, g, ms, h or d)");
  }
  bool delta = point.kind == MetricKind::Gauge && !value.empty() &&
               (value.front() == '+' || value.front() == '-');
  if (!parse_number(value, point.value)) {
    return bad(line, "value '" + std::string(value) + "' is not a number");
  }
  if (delta) point.attributes.push_back({"statsd.delta", true});

  while (!rest.empty()) {
    std::string_view field = rest.substr(0, rest.find('|'));
    rest.remove_prefix(field.size() == rest.size() ? rest.size() : field.size() + 1);
    if (field.starts_with('@')) {
      if (!parse_number(field.substr(1), point.sample_rate) || point.sample_rate <= 0 ||
          point.sample_rate > 1) {
        return bad(line, "sample rate must be in (0, 1]");
      }
    } else if (field.starts_with('#')) {
      std::string_view tags = field.substr(1);
      while (!tags.empty()) {
        std::string_view tag = tags.substr(0, tags.find(','));
        tags.remove_prefix(tag.size() == tags.size() ? tags.size() : tag.size() + 1);
        if (tag.empty()) continue;
        size_t sep = tag.find(':');
        point.attributes.push_back(
            {std::string(tag.substr(0, sep)),
             std::string(sep == std::string_view::npos ? std::string_view()
                                                       : tag.substr(sep + 1))});
      }
    } else if (!field.empty()) {
      return bad(line, "unknown field '" + std::string(field) + "'");
    }
  }
  return point;
}

std::vector<Expected<MetricPoint>> parse_statsd_lines(std::string_view text,
                                                      uint64_t time_unix_ns) {
  std::vector<Expected<MetricPoint>> out;
  while (!text.empty()) {
    std::string_view line = text.substr(0, text.find('\n'));
    text.remove_prefix(line.size() == text.size() ? text.size() : line.size() + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) out.push_back(parse_statsd(line, time_unix_ns));
  }
  return out;
}

}  // namespace lantern::observe
