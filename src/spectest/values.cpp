// Script values: the spec suite writes numbers as decimal strings of their unsigned bit pattern.
#include "lantern/spectest/values.h"

#include <fmt/format.h>

#include <charconv>
#include <limits>

namespace lantern::spectest {
namespace {

using engine::Value;
using wasm::ValType;

constexpr uint32_t kF32QuietNan = 0x7fc00000u;
constexpr uint32_t kF32SignMask = 0x80000000u;
constexpr uint64_t kF64QuietNan = 0x7ff8000000000000ull;
constexpr uint64_t kF64SignMask = 0x8000000000000000ull;

Unexpected bad_value(const ValueSpec& spec, const char* why) {
  return make_error(Phase::Config, fmt::format("{} value '{}': {}", spec.type, spec.value, why));
}

Expected<uint64_t> parse_bits(const ValueSpec& spec, uint64_t max) {
  uint64_t bits = 0;
  const char* begin = spec.value.data();
  const char* end = begin + spec.value.size();
  auto [ptr, ec] = std::from_chars(begin, end, bits, 10);
  if (ec != std::errc() || ptr != end || spec.value.empty()) return bad_value(spec, "not a number");
  if (bits > max) return bad_value(spec, "out of range");
  return bits;
}

// Numbers, null and refs; the NaN patterns are handled by parse_expected.
Expected<ExpectedValue> parse_any(const ValueSpec& spec) {
  using Match = ExpectedValue::Match;
  if (spec.type == "i32" || spec.type == "f32") {
    auto bits = parse_bits(spec, std::numeric_limits<uint32_t>::max());
    if (!bits) return Unexpected{std::move(bits).error()};
    ValType type = spec.type == "i32" ? ValType::I32 : ValType::F32;
    return ExpectedValue{Value{type, *bits}, Match::Exact};
  }
  if (spec.type == "i64" || spec.type == "f64") {
    auto bits = parse_bits(spec, std::numeric_limits<uint64_t>::max());
    if (!bits) return Unexpected{std::move(bits).error()};
    ValType type = spec.type == "i64" ? ValType::I64 : ValType::F64;
    return ExpectedValue{Value{type, *bits}, Match::Exact};
  }
  if (spec.type == "externref" || spec.type == "funcref") {
    ValType type = spec.type == "externref" ? ValType::ExternRef : ValType::FuncRef;
    if (spec.value == "null") return ExpectedValue{Value::null(type), Match::Exact};
    auto number = parse_bits(spec, std::numeric_limits<uint64_t>::max() - 1);
    if (!number) return Unexpected{std::move(number).error()};
    if (type == ValType::FuncRef) return ExpectedValue{Value::null(type), Match::NonNullRef};
    return ExpectedValue{Value::externref(externref_word(*number)), Match::Exact};
  }
  if (spec.type == "v128") return bad_value(spec, "v128 is not supported (no SIMD)");
  return bad_value(spec, "unknown type");
}

}  // namespace

Expected<Value> parse_argument(const ValueSpec& spec) {
  auto parsed = parse_any(spec);
  if (!parsed) return Unexpected{std::move(parsed).error()};
  if (parsed->match != ExpectedValue::Match::Exact) {
    return bad_value(spec, "a non-null funcref cannot be passed as an argument");
  }
  return parsed->value;
}

Expected<ExpectedValue> parse_expected(const ValueSpec& spec) {
  using Match = ExpectedValue::Match;
  if ((spec.type == "f32" || spec.type == "f64") && spec.value.starts_with("nan:")) {
    ValType type = spec.type == "f32" ? ValType::F32 : ValType::F64;
    uint64_t quiet = type == ValType::F32 ? kF32QuietNan : kF64QuietNan;
    if (spec.value == "nan:canonical") return ExpectedValue{Value{type, quiet}, Match::CanonicalNan};
    if (spec.value == "nan:arithmetic") {
      return ExpectedValue{Value{type, quiet}, Match::ArithmeticNan};
    }
    return bad_value(spec, "unknown NaN pattern");
  }
  return parse_any(spec);
}

bool matches(const ExpectedValue& expected, const Value& actual) {
  using Match = ExpectedValue::Match;
  if (expected.value.type != actual.type) return false;
  bool is_f32 = actual.type == ValType::F32;
  switch (expected.match) {
    case Match::Exact:
      return is_f32 ? static_cast<uint32_t>(expected.value.bits) == static_cast<uint32_t>(actual.bits)
                    : expected.value.bits == actual.bits;
    case Match::CanonicalNan:
      if (is_f32) return (static_cast<uint32_t>(actual.bits) & ~kF32SignMask) == kF32QuietNan;
      return (actual.bits & ~kF64SignMask) == kF64QuietNan;
    case Match::ArithmeticNan:
      if (is_f32) return (static_cast<uint32_t>(actual.bits) & kF32QuietNan) == kF32QuietNan;
      return (actual.bits & kF64QuietNan) == kF64QuietNan;
    case Match::NonNullRef:
      return !actual.is_null();
  }
  return false;
}

std::string describe(const Value& value) {
  switch (value.type) {
    case ValType::I32:
      return fmt::format("i32:{} (0x{:08x})", value.as_i32(), static_cast<uint32_t>(value.bits));
    case ValType::I64:
      return fmt::format("i64:{} (0x{:016x})", value.as_i64(), value.bits);
    case ValType::F32:
      return fmt::format("f32:{} (0x{:08x})", value.as_f32(), static_cast<uint32_t>(value.bits));
    case ValType::F64:
      return fmt::format("f64:{} (0x{:016x})", value.as_f64(), value.bits);
    case ValType::FuncRef:
      return value.is_null() ? "funcref:null" : "funcref:non-null";
    case ValType::ExternRef:
      // Shown in the script's numbering (host word - 1).
      return value.is_null() ? "externref:null" : fmt::format("externref:{}", value.bits - 1);
    case ValType::V128:
      return "v128";
  }
  return "unknown";
}

std::string describe(const ExpectedValue& expected) {
  using Match = ExpectedValue::Match;
  const char* type = expected.value.type == ValType::F32   ? "f32"
                     : expected.value.type == ValType::F64 ? "f64"
                                                           : "funcref";
  switch (expected.match) {
    case Match::Exact:
      return describe(expected.value);
    case Match::CanonicalNan:
      return fmt::format("{}:nan:canonical", type);
    case Match::ArithmeticNan:
      return fmt::format("{}:nan:arithmetic", type);
    case Match::NonNullRef:
      return fmt::format("{}:non-null", type);
  }
  return "unknown";
}

}  // namespace lantern::spectest
