#include "cli/run_options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace lantern::cli {
namespace {

// Splits "12.5ms" into 12.5 and "ms"; false when there is no leading number.
bool split_number(const std::string& text, double& number, std::string& unit) {
  errno = 0;
  char* end = nullptr;
  number = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || errno != 0 || !std::isfinite(number) || number < 0) return false;
  unit = end;
  return true;
}

}  // namespace

Expected<DirMapping> parse_dir_mapping(const std::string& text) {
  DirMapping mapping;
  std::string spec = text;
  if (spec.ends_with(":ro")) {
    mapping.read_only = true;
    spec.resize(spec.size() - 3);
  } else if (spec.ends_with(":rw")) {
    spec.resize(spec.size() - 3);
  }
  size_t sep = spec.find("::");
  mapping.host = spec.substr(0, sep);
  mapping.guest = sep == std::string::npos ? mapping.host : spec.substr(sep + 2);
  if (mapping.host.empty() || mapping.guest.empty()) {
    return make_error(Phase::Config,
                      "--dir '" + text + "': expected HOST[::GUEST][:ro], e.g. ./data::/data:ro");
  }
  return mapping;
}

Expected<uint64_t> parse_byte_size(const std::string& text) {
  double number = 0;
  std::string unit;
  if (!split_number(text, number, unit)) {
    return make_error(Phase::Config, "'" + text + "' is not a size in bytes (e.g. 64MiB)");
  }
  static constexpr struct {
    const char* suffix;
    double factor;
  } kUnits[] = {{"", 1},
                {"B", 1},
                {"K", 1024.0},
                {"KiB", 1024.0},
                {"KB", 1e3},
                {"M", 1048576.0},
                {"MiB", 1048576.0},
                {"MB", 1e6},
                {"G", 1073741824.0},
                {"GiB", 1073741824.0},
                {"GB", 1e9}};
  for (const auto& u : kUnits) {
    if (unit == u.suffix) {
      double bytes = std::floor(number * u.factor);
      if (bytes > 1.8e19) break;
      return static_cast<uint64_t>(bytes);
    }
  }
  return make_error(Phase::Config, "'" + text + "': unknown size unit '" + unit +
                                       "' (use B, KiB, MiB, GiB, KB, MB or GB)");
}

Expected<std::chrono::nanoseconds> parse_duration(const std::string& text) {
  double number = 0;
  std::string unit;
  if (!split_number(text, number, unit)) {
    return make_error(Phase::Config, "'" + text + "' is not a duration (e.g. 1.5s, 250ms)");
  }
  static constexpr struct {
    const char* suffix;
    double ns;
  } kUnits[] = {{"", 1e9}, {"s", 1e9},  {"ms", 1e6},  {"us", 1e3},
                {"ns", 1}, {"m", 60e9}, {"h", 3600e9}};
  for (const auto& u : kUnits) {
    if (unit == u.suffix) {
      double ns = number * u.ns;
      if (ns > 9e18) break;
      return std::chrono::nanoseconds(static_cast<int64_t>(ns));
    }
  }
  return make_error(Phase::Config, "'" + text + "': unknown duration unit '" + unit +
                                       "' (use h, m, s, ms, us or ns)");
}

bool parse_value(const std::string& text, engine::ValType type, engine::Value& out) {
  errno = 0;
  char* end = nullptr;
  switch (type) {
    case engine::ValType::I32:
    case engine::ValType::I64: {
      bool negative = !text.empty() && text[0] == '-';
      uint64_t bits = negative ? static_cast<uint64_t>(std::strtoll(text.c_str(), &end, 0))
                               : std::strtoull(text.c_str(), &end, 0);
      if (type == engine::ValType::I32) {
        int64_t as_signed = static_cast<int64_t>(bits);
        if (negative ? as_signed < INT32_MIN : bits > UINT32_MAX) return false;
        out = engine::Value::i32(static_cast<int32_t>(bits));
      } else {
        out = engine::Value::i64(static_cast<int64_t>(bits));
      }
      break;
    }
    case engine::ValType::F32: out = engine::Value::f32(std::strtof(text.c_str(), &end)); break;
    case engine::ValType::F64: out = engine::Value::f64(std::strtod(text.c_str(), &end)); break;
    default: return false;
  }
  return errno == 0 && end && *end == '\0' && !text.empty();
}

std::string format_value(const engine::Value& value) {
  switch (value.type) {
    case engine::ValType::I32: return std::to_string(value.as_i32());
    case engine::ValType::I64: return std::to_string(value.as_i64());
    case engine::ValType::F32: return fmt::format("{}", value.as_f32());
    case engine::ValType::F64: return fmt::format("{}", value.as_f64());
    default: return engine::to_string(value);
  }
}

}  // namespace lantern::cli
