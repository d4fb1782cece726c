// Floating-point instructions and conversions, checked bit-exactly. Each case runs with its
// operands from parameters, as immediates, and with the result stored in a local first.
// NaN results are checked the way the spec allows: canonical NaN when every NaN operand is
// canonical, otherwise any arithmetic (quiet) NaN; abs/neg/copysign/reinterpret keep payloads.
#include <bit>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/engine_fixture.h"

namespace lantern::engine {
namespace {

constexpr uint64_t S(float x) { return std::bit_cast<uint32_t>(x); }
constexpr uint64_t D(double x) { return std::bit_cast<uint64_t>(x); }
constexpr uint64_t u64(int64_t x) { return static_cast<uint64_t>(x); }

// f32 bit patterns
constexpr uint64_t kS_NegZero = 0x80000000, kS_Inf = 0x7f800000, kS_NegInf = 0xff800000;
constexpr uint64_t kS_Nan = 0x7fc00000, kS_NegNan = 0xffc00000;
constexpr uint64_t kS_NanPayload = 0x7fc12345, kS_Snan = 0x7fa00001, kS_NegSnan = 0xffa00001;
constexpr uint64_t kS_Max = 0x7f7fffff, kS_MinSub = 0x00000001;
// f64 bit patterns
constexpr uint64_t kD_NegZero = 0x8000000000000000, kD_Inf = 0x7ff0000000000000;
constexpr uint64_t kD_NegInf = 0xfff0000000000000, kD_Nan = 0x7ff8000000000000;
constexpr uint64_t kD_NanPayload = 0x7ff8000000012345, kD_Snan = 0x7ff4000000000001;
constexpr uint64_t kD_NegSnan = 0xfff4000000000001, kD_Max = 0x7fefffffffffffff;

enum class Want { Exact, CanonicalNan, ArithmeticNan, Trap };

const char* const kInvalid = "invalid conversion to integer";
const char* const kOverflow = "integer overflow";

struct FCase {
  const char* in;   // operand type
  const char* op;   // full instruction name
  const char* out;  // result type
  int arity;
  uint64_t a, b, want;
  Want check = Want::Exact;
  const char* trap = nullptr;
};

FCase bin(const char* t, const char* op, uint64_t a, uint64_t b, uint64_t want,
          Want check = Want::Exact) {
  return {t, op, t, 2, a, b, want, check};
}
FCase un(const char* in, const char* op, const char* out, uint64_t a, uint64_t want,
         Want check = Want::Exact) {
  return {in, op, out, 1, a, 0, want, check};
}
FCase trap(const char* in, const char* op, const char* out, uint64_t a, const char* message) {
  return {in, op, out, 1, a, 0, 0, Want::Trap, message};
}

const Want kCanon = Want::CanonicalNan, kArith = Want::ArithmeticNan;

const std::vector<FCase> kCases = {
    // f32 arithmetic
    bin("f32", "f32.add", S(1.5f), S(2.5f), S(4.0f)),
    bin("f32", "f32.add", kS_NegZero, kS_NegZero, kS_NegZero),
    bin("f32", "f32.add", kS_NegZero, S(0.0f), S(0.0f)),
    bin("f32", "f32.add", kS_Inf, kS_NegInf, 0, kCanon),
    bin("f32", "f32.add", S(1.0f), kS_Nan, 0, kCanon),
    bin("f32", "f32.add", S(1.0f), kS_NanPayload, 0, kArith),
    bin("f32", "f32.add", kS_MinSub, kS_MinSub, 0x00000002),
    bin("f32", "f32.add", S(1.0f), S(0x1p-24f), S(1.0f)),                     // tie to even
    bin("f32", "f32.add", S(1.0f), S(0x3p-24f), S(1.0f + 0x1p-22f)),          // tie to even
    bin("f32", "f32.sub", S(1.0f), S(1.0f), S(0.0f)),
    bin("f32", "f32.sub", kS_NegZero, S(0.0f), kS_NegZero),
    bin("f32", "f32.sub", kS_NegZero, kS_NegZero, S(0.0f)),
    bin("f32", "f32.sub", kS_Inf, kS_Inf, 0, kCanon),
    bin("f32", "f32.mul", kS_NegZero, S(5.0f), kS_NegZero),
    bin("f32", "f32.mul", kS_Inf, S(0.0f), 0, kCanon),
    bin("f32", "f32.mul", S(-2.0f), S(3.0f), S(-6.0f)),
    bin("f32", "f32.mul", kS_Max, S(2.0f), kS_Inf),
    bin("f32", "f32.div", S(1.0f), S(0.0f), kS_Inf),
    bin("f32", "f32.div", S(-1.0f), S(0.0f), kS_NegInf),
    bin("f32", "f32.div", S(1.0f), kS_NegZero, kS_NegInf),
    bin("f32", "f32.div", S(0.0f), S(0.0f), 0, kCanon),
    bin("f32", "f32.div", S(1.0f), S(3.0f), 0x3eaaaaab),
    bin("f32", "f32.min", S(0.0f), kS_NegZero, kS_NegZero),
    bin("f32", "f32.min", kS_NegZero, S(0.0f), kS_NegZero),
    bin("f32", "f32.min", S(1.0f), kS_Nan, 0, kCanon),
    bin("f32", "f32.min", kS_NanPayload, S(1.0f), 0, kArith),
    bin("f32", "f32.min", kS_NegInf, S(5.0f), kS_NegInf),
    bin("f32", "f32.max", kS_NegZero, S(0.0f), S(0.0f)),
    bin("f32", "f32.max", S(0.0f), kS_NegZero, S(0.0f)),
    bin("f32", "f32.max", kS_Nan, S(1.0f), 0, kCanon),
    bin("f32", "f32.max", S(1.0f), kS_Snan, 0, kArith),
    bin("f32", "f32.max", kS_Inf, S(5.0f), kS_Inf),
    bin("f32", "f32.copysign", S(1.5f), kS_NegZero, S(-1.5f)),
    bin("f32", "f32.copysign", S(-1.5f), S(0.0f), S(1.5f)),
    bin("f32", "f32.copysign", kS_NanPayload, S(-1.0f), 0xffc12345),
    bin("f32", "f32.copysign", kS_Snan, S(-1.0f), kS_NegSnan),
    bin("f32", "f32.copysign", S(1.0f), kS_NegNan, S(-1.0f)),
    // f64 arithmetic
    bin("f64", "f64.add", D(1.5), D(2.5), D(4.0)),
    bin("f64", "f64.add", kD_NegZero, kD_NegZero, kD_NegZero),
    bin("f64", "f64.add", kD_NegZero, D(0.0), D(0.0)),
    bin("f64", "f64.add", kD_Inf, kD_NegInf, 0, kCanon),
    bin("f64", "f64.add", D(1.0), kD_NanPayload, 0, kArith),
    bin("f64", "f64.add", D(1.0), D(0x1p-53), D(1.0)),
    bin("f64", "f64.add", D(1.0), D(0x3p-53), D(1.0 + 0x1p-51)),
    bin("f64", "f64.sub", kD_NegZero, D(0.0), kD_NegZero),
    bin("f64", "f64.sub", kD_NegZero, kD_NegZero, D(0.0)),
    bin("f64", "f64.mul", kD_NegZero, D(5.0), kD_NegZero),
    bin("f64", "f64.mul", kD_Inf, D(0.0), 0, kCanon),
    bin("f64", "f64.mul", kD_Max, D(2.0), kD_Inf),
    bin("f64", "f64.div", D(1.0), kD_NegZero, kD_NegInf),
    bin("f64", "f64.div", D(0.0), D(0.0), 0, kCanon),
    bin("f64", "f64.div", D(1.0), D(3.0), 0x3fd5555555555555),
    bin("f64", "f64.min", D(0.0), kD_NegZero, kD_NegZero),
    bin("f64", "f64.min", kD_NegZero, D(0.0), kD_NegZero),
    bin("f64", "f64.min", D(1.0), kD_Nan, 0, kCanon),
    bin("f64", "f64.min", kD_Snan, D(1.0), 0, kArith),
    bin("f64", "f64.max", kD_NegZero, D(0.0), D(0.0)),
    bin("f64", "f64.max", D(0.0), kD_NegZero, D(0.0)),
    bin("f64", "f64.max", D(1.0), kD_NanPayload, 0, kArith),
    bin("f64", "f64.max", kD_NegInf, D(-5.0), D(-5.0)),
    bin("f64", "f64.copysign", D(1.5), kD_NegZero, D(-1.5)),
    bin("f64", "f64.copysign", kD_Snan, D(-1.0), kD_NegSnan),
    bin("f64", "f64.copysign", kD_NegSnan, D(1.0), kD_Snan),
    // abs / neg keep the payload, even of a signalling NaN
    un("f32", "f32.abs", "f32", kS_NegZero, S(0.0f)),
    un("f32", "f32.abs", "f32", kS_NegSnan, kS_Snan),
    un("f32", "f32.abs", "f32", kS_NegInf, kS_Inf),
    un("f32", "f32.neg", "f32", S(0.0f), kS_NegZero),
    un("f32", "f32.neg", "f32", kS_Snan, kS_NegSnan),
    un("f32", "f32.neg", "f32", kS_NegNan, kS_Nan),
    un("f64", "f64.abs", "f64", kD_NegSnan, kD_Snan),
    un("f64", "f64.abs", "f64", D(-1.5), D(1.5)),
    un("f64", "f64.neg", "f64", kD_NanPayload, 0xfff8000000012345),
    un("f64", "f64.neg", "f64", kD_NegZero, D(0.0)),
    // rounding
    un("f32", "f32.ceil", "f32", S(1.5f), S(2.0f)),
    un("f32", "f32.ceil", "f32", S(-1.5f), S(-1.0f)),
    un("f32", "f32.ceil", "f32", S(-0.5f), kS_NegZero),
    un("f32", "f32.ceil", "f32", S(8388607.5f), S(8388608.0f)),
    un("f32", "f32.ceil", "f32", kS_Snan, 0, kArith),
    un("f32", "f32.floor", "f32", S(-0.5f), S(-1.0f)),
    un("f32", "f32.floor", "f32", S(0.5f), S(0.0f)),
    un("f32", "f32.floor", "f32", kS_NegZero, kS_NegZero),
    un("f32", "f32.floor", "f32", kS_Nan, 0, kCanon),
    un("f32", "f32.trunc", "f32", S(-1.5f), S(-1.0f)),
    un("f32", "f32.trunc", "f32", S(-0.5f), kS_NegZero),
    un("f32", "f32.trunc", "f32", kS_Snan, 0, kArith),
    un("f32", "f32.nearest", "f32", S(0.5f), S(0.0f)),
    un("f32", "f32.nearest", "f32", S(1.5f), S(2.0f)),
    un("f32", "f32.nearest", "f32", S(2.5f), S(2.0f)),
    un("f32", "f32.nearest", "f32", S(-0.5f), kS_NegZero),
    un("f32", "f32.nearest", "f32", S(-3.5f), S(-4.0f)),
    un("f32", "f32.nearest", "f32", 0x3effffff, S(0.0f)),  // largest float below 0.5
    un("f32", "f32.nearest", "f32", S(8388609.0f), S(8388609.0f)),
    un("f32", "f32.nearest", "f32", kS_Snan, 0, kArith),
    un("f64", "f64.ceil", "f64", D(-0.5), kD_NegZero),
    un("f64", "f64.ceil", "f64", D(4503599627370495.5), D(4503599627370496.0)),
    un("f64", "f64.ceil", "f64", kD_Snan, 0, kArith),
    un("f64", "f64.floor", "f64", D(-1.5), D(-2.0)),
    un("f64", "f64.floor", "f64", kD_Snan, 0, kArith),
    un("f64", "f64.trunc", "f64", D(-0.7), kD_NegZero),
    un("f64", "f64.trunc", "f64", kD_NegInf, kD_NegInf),
    un("f64", "f64.nearest", "f64", D(2.5), D(2.0)),
    un("f64", "f64.nearest", "f64", D(-2.5), D(-2.0)),
    un("f64", "f64.nearest", "f64", D(3.5), D(4.0)),
    un("f64", "f64.nearest", "f64", 0x3fdfffffffffffff, D(0.0)),
    un("f64", "f64.nearest", "f64", D(4503599627370497.0), D(4503599627370497.0)),
    un("f64", "f64.nearest", "f64", kD_Snan, 0, kArith),
    // sqrt
    un("f32", "f32.sqrt", "f32", S(4.0f), S(2.0f)),
    un("f32", "f32.sqrt", "f32", S(2.0f), 0x3fb504f3),
    un("f32", "f32.sqrt", "f32", kS_NegZero, kS_NegZero),
    un("f32", "f32.sqrt", "f32", S(-1.0f), 0, kCanon),
    un("f64", "f64.sqrt", "f64", D(2.0), 0x3ff6a09e667f3bcd),
    un("f64", "f64.sqrt", "f64", kD_Inf, kD_Inf),
    un("f64", "f64.sqrt", "f64", kD_Snan, 0, kArith),
    // trapping truncation
    un("f32", "i32.trunc_f32_s", "i32", S(-1.9f), u64(-1)),
    un("f32", "i32.trunc_f32_s", "i32", S(-0.9f), 0),
    un("f32", "i32.trunc_f32_s", "i32", S(-2147483648.0f), 0x80000000),
    un("f32", "i32.trunc_f32_s", "i32", 0x4effffff, 2147483520),
    trap("f32", "i32.trunc_f32_s", "i32", S(2147483648.0f), kOverflow),
    trap("f32", "i32.trunc_f32_s", "i32", 0xcf000001, kOverflow),
    trap("f32", "i32.trunc_f32_s", "i32", kS_Nan, kInvalid),
    trap("f32", "i32.trunc_f32_s", "i32", kS_Inf, kOverflow),
    un("f32", "i32.trunc_f32_u", "i32", 0x4f7fffff, 0xffffff00),
    un("f32", "i32.trunc_f32_u", "i32", S(-0.9f), 0),
    trap("f32", "i32.trunc_f32_u", "i32", S(4294967296.0f), kOverflow),
    trap("f32", "i32.trunc_f32_u", "i32", S(-1.0f), kOverflow),
    trap("f32", "i32.trunc_f32_u", "i32", kS_NegNan, kInvalid),
    un("f64", "i32.trunc_f64_s", "i32", D(2147483647.9), 0x7fffffff),
    un("f64", "i32.trunc_f64_s", "i32", D(-2147483648.9), 0x80000000),
    trap("f64", "i32.trunc_f64_s", "i32", D(2147483648.0), kOverflow),
    trap("f64", "i32.trunc_f64_s", "i32", D(-2147483649.0), kOverflow),
    trap("f64", "i32.trunc_f64_s", "i32", kD_Nan, kInvalid),
    un("f64", "i32.trunc_f64_u", "i32", D(4294967295.9), 0xffffffff),
    un("f64", "i32.trunc_f64_u", "i32", D(-0.9), 0),
    trap("f64", "i32.trunc_f64_u", "i32", D(4294967296.0), kOverflow),
    trap("f64", "i32.trunc_f64_u", "i32", D(-1.0), kOverflow),
    un("f32", "i64.trunc_f32_s", "i64", 0x5effffff, 9223371487098961920ULL),
    un("f32", "i64.trunc_f32_s", "i64", S(-9223372036854775808.0f), 0x8000000000000000),
    trap("f32", "i64.trunc_f32_s", "i64", S(9223372036854775808.0f), kOverflow),
    trap("f32", "i64.trunc_f32_s", "i64", 0xdf000001, kOverflow),
    un("f32", "i64.trunc_f32_u", "i64", 0x5f7fffff, 18446742974197923840ULL),
    trap("f32", "i64.trunc_f32_u", "i64", S(18446744073709551616.0f), kOverflow),
    trap("f32", "i64.trunc_f32_u", "i64", kS_Snan, kInvalid),
    un("f64", "i64.trunc_f64_s", "i64", 0x43dfffffffffffff, 9223372036854774784ULL),
    un("f64", "i64.trunc_f64_s", "i64", D(-9223372036854775808.0), 0x8000000000000000),
    trap("f64", "i64.trunc_f64_s", "i64", D(9223372036854775808.0), kOverflow),
    trap("f64", "i64.trunc_f64_s", "i64", 0xc3e0000000000001, kOverflow),
    un("f64", "i64.trunc_f64_u", "i64", 0x43efffffffffffff, 18446744073709549568ULL),
    un("f64", "i64.trunc_f64_u", "i64", D(-0.99), 0),
    trap("f64", "i64.trunc_f64_u", "i64", D(18446744073709551616.0), kOverflow),
    trap("f64", "i64.trunc_f64_u", "i64", D(-1.0), kOverflow),
    trap("f64", "i64.trunc_f64_u", "i64", kD_Nan, kInvalid),
    // saturating truncation
    un("f32", "i32.trunc_sat_f32_s", "i32", kS_Nan, 0),
    un("f32", "i32.trunc_sat_f32_s", "i32", kS_Inf, 0x7fffffff),
    un("f32", "i32.trunc_sat_f32_s", "i32", kS_NegInf, 0x80000000),
    un("f32", "i32.trunc_sat_f32_s", "i32", S(2147483648.0f), 0x7fffffff),
    un("f32", "i32.trunc_sat_f32_s", "i32", 0xcf000001, 0x80000000),
    un("f32", "i32.trunc_sat_f32_s", "i32", S(1.9f), 1),
    un("f32", "i32.trunc_sat_f32_u", "i32", S(-5.0f), 0),
    un("f32", "i32.trunc_sat_f32_u", "i32", 0x4f7fffff, 0xffffff00),
    un("f64", "i32.trunc_sat_f64_s", "i32", D(-1e10), 0x80000000),
    un("f64", "i32.trunc_sat_f64_u", "i32", D(-1.0), 0),
    un("f64", "i32.trunc_sat_f64_u", "i32", D(4294967296.0), 0xffffffff),
    un("f64", "i32.trunc_sat_f64_u", "i32", kD_Snan, 0),
    un("f64", "i64.trunc_sat_f64_s", "i64", D(9223372036854775808.0), 0x7fffffffffffffff),
    un("f64", "i64.trunc_sat_f64_s", "i64", kD_NegInf, 0x8000000000000000),
    un("f64", "i64.trunc_sat_f64_s", "i64", kD_Nan, 0),
    un("f64", "i64.trunc_sat_f64_s", "i64", D(-1.5), u64(-1)),
    un("f64", "i64.trunc_sat_f64_u", "i64", D(1e30), 0xffffffffffffffff),
    un("f32", "i64.trunc_sat_f32_s", "i64", kS_NegInf, 0x8000000000000000),
    un("f32", "i64.trunc_sat_f32_u", "i64", kS_NegInf, 0),
    un("f32", "i64.trunc_sat_f32_u", "i64", kS_Inf, 0xffffffffffffffff),
    un("f32", "i64.trunc_sat_f32_u", "i64", 0x5f7fffff, 18446742974197923840ULL),
    // integer to float, round to nearest, ties to even
    un("i32", "f32.convert_i32_s", "f32", 16777217, S(16777216.0f)),
    un("i32", "f32.convert_i32_s", "f32", 16777219, S(16777220.0f)),
    un("i32", "f32.convert_i32_s", "f32", 0x80000000, 0xcf000000),
    un("i32", "f32.convert_i32_u", "f32", 0xffffffff, S(4294967296.0f)),
    un("i32", "f32.convert_i32_u", "f32", 0x80000000, 0x4f000000),
    un("i32", "f64.convert_i32_s", "f64", 0xffffffff, D(-1.0)),
    un("i32", "f64.convert_i32_u", "f64", 0xffffffff, D(4294967295.0)),
    un("i64", "f64.convert_i64_s", "f64", 9007199254740993, D(9007199254740992.0)),
    un("i64", "f64.convert_i64_s", "f64", 0x8000000000000000, 0xc3e0000000000000),
    un("i64", "f64.convert_i64_u", "f64", 0xffffffffffffffff, 0x43f0000000000000),
    un("i64", "f64.convert_i64_u", "f64", 0x8000000000000001, 0x43e0000000000000),
    un("i64", "f64.convert_i64_u", "f64", 0x8000000000000400, 0x43e0000000000000),
    un("i64", "f64.convert_i64_u", "f64", 0x8000000000000401, 0x43e0000000000001),
    un("i64", "f64.convert_i64_u", "f64", 0x8000000000000c00, 0x43e0000000000002),
    un("i64", "f64.convert_i64_u", "f64", 0x20000000000001, 0x4340000000000000),
    un("i64", "f32.convert_i64_s", "f32", 9007199791611905, 0x5a000001),  // no double rounding
    un("i64", "f32.convert_i64_u", "f32", 0xffffffffffffffff, 0x5f800000),
    un("i64", "f32.convert_i64_u", "f32", 0x7fffffffffffffff, 0x5f000000),
    un("i64", "f32.convert_i64_u", "f32", 0x8000008000000001, 0x5f000001),
    // demote / promote
    un("f64", "f32.demote_f64", "f32", D(1.5), S(1.5f)),
    un("f64", "f32.demote_f64", "f32", kD_Max, kS_Inf),
    un("f64", "f32.demote_f64", "f32", 0x3ff0000010000000, S(1.0f)),
    un("f64", "f32.demote_f64", "f32", 0x3ff0000030000000, 0x3f800002),
    un("f64", "f32.demote_f64", "f32", D(1e-300), S(0.0f)),
    un("f64", "f32.demote_f64", "f32", D(-1e-300), kS_NegZero),
    un("f64", "f32.demote_f64", "f32", 0x36a0000000000000, kS_MinSub),
    un("f64", "f32.demote_f64", "f32", kD_Nan, 0, kCanon),
    un("f64", "f32.demote_f64", "f32", kD_Snan, 0, kArith),
    un("f32", "f64.promote_f32", "f64", S(1.5f), D(1.5)),
    un("f32", "f64.promote_f32", "f64", kS_MinSub, 0x36a0000000000000),
    un("f32", "f64.promote_f32", "f64", kS_NegInf, kD_NegInf),
    un("f32", "f64.promote_f32", "f64", kS_Nan, 0, kCanon),
    un("f32", "f64.promote_f32", "f64", kS_NanPayload, 0, kArith),
    // reinterpretation moves bits untouched, signalling NaNs included
    un("i32", "f32.reinterpret_i32", "f32", kS_Snan, kS_Snan),
    un("f32", "i32.reinterpret_f32", "i32", kS_NegSnan, kS_NegSnan),
    un("i64", "f64.reinterpret_i64", "f64", 0xfff0000000000001, 0xfff0000000000001),
    un("f64", "i64.reinterpret_f64", "i64", kD_Snan, kD_Snan),
};

bool narrow(const std::string& type) { return type == "i32" || type == "f32"; }

// A WAT literal that assembles to exactly `bits`.
std::string literal(const std::string& type, uint64_t bits) {
  char buf[64];
  if (type == "i32") {
    std::snprintf(buf, sizeof buf, "0x%" PRIx32, static_cast<uint32_t>(bits));
    return buf;
  }
  if (type == "i64") {
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, bits);
    return buf;
  }
  bool is32 = type == "f32";
  int mant_bits = is32 ? 23 : 52;
  uint64_t exp_mask = is32 ? 0xff : 0x7ff;
  bool negative = (bits >> (is32 ? 31 : 63)) & 1;
  uint64_t exp = (bits >> mant_bits) & exp_mask, mant = bits & ((uint64_t{1} << mant_bits) - 1);
  std::string sign = negative ? "-" : "";
  if (exp == exp_mask) {
    if (mant == 0) return sign + "inf";
    std::snprintf(buf, sizeof buf, "nan:0x%" PRIx64, mant);
    return sign + buf;
  }
  double value = is32 ? static_cast<double>(std::bit_cast<float>(static_cast<uint32_t>(bits)))
                      : std::bit_cast<double>(bits);
  std::snprintf(buf, sizeof buf, "%a", value);  // exact hexadecimal float
  return buf;
}

Value arg(const std::string& type, uint64_t bits) {
  if (type == "i32") return Value::i32(static_cast<int32_t>(bits));
  if (type == "i64") return Value::i64(static_cast<int64_t>(bits));
  if (type == "f32") return Value::f32_bits(static_cast<uint32_t>(bits));
  return Value::f64_bits(bits);
}

void expect_case(const FCase& c, const Expected<std::vector<Value>, Trap>& r) {
  if (c.check == Want::Trap) {
    ASSERT_FALSE(r) << "expected trap " << c.trap;
    EXPECT_EQ(r.error().message, c.trap);
    return;
  }
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  bool is32 = narrow(c.out);
  uint64_t got = is32 ? ((*r)[0].bits & 0xffffffffu) : (*r)[0].bits;
  uint64_t magnitude = got & (is32 ? 0x7fffffffu : 0x7fffffffffffffffu);
  uint64_t quiet_nan = is32 ? 0x7fc00000u : 0x7ff8000000000000u;
  char hex[32];
  std::snprintf(hex, sizeof hex, "0x%" PRIx64, got);
  switch (c.check) {
    case Want::Exact:
      EXPECT_EQ(got, is32 ? (c.want & 0xffffffffu) : c.want) << "got " << hex;
      break;
    case Want::CanonicalNan:
      EXPECT_EQ(magnitude, quiet_nan) << "not a canonical NaN: " << hex;
      break;
    case Want::ArithmeticNan:
      EXPECT_EQ(magnitude & quiet_nan, quiet_nan) << "not an arithmetic NaN: " << hex;
      break;
    case Want::Trap:
      break;
  }
}

TEST_F(EngineTest, FloatOperatorsAndConversionsBitExact) {
  std::string wat = "(module\n";
  for (size_t i = 0; i < kCases.size(); ++i) {
    const FCase& c = kCases[i];
    std::string n = std::to_string(i), in = c.in, out = c.out, op = c.op;
    std::string ka = "(" + in + ".const " + literal(in, c.a) + ")";
    std::string kb = "(" + in + ".const " + literal(in, c.b) + ")";
    if (c.arity == 2) {
      std::string params = "(param " + in + " " + in + ")";
      wat += "(func (export \"p" + n + "\") " + params + " (result " + out + ") (" + op +
             " (local.get 0) (local.get 1)))\n";
      wat += "(func (export \"r" + n + "\") (param " + in + ") (result " + out + ") (" + op +
             " (local.get 0) " + kb + "))\n";
      wat += "(func (export \"k" + n + "\") (result " + out + ") (" + op + " " + ka + " " + kb + "))\n";
      wat += "(func (export \"s" + n + "\") " + params + " (result " + out + ") (local " + out +
             ") (local.set 2 (" + op + " (local.get 0) (local.get 1))) (local.get 2))\n";
    } else {
      wat += "(func (export \"p" + n + "\") (param " + in + ") (result " + out + ") (" + op +
             " (local.get 0)))\n";
      wat += "(func (export \"k" + n + "\") (result " + out + ") (" + op + " " + ka + "))\n";
      wat += "(func (export \"s" + n + "\") (param " + in + ") (result " + out + ") (local " + out +
             ") (local.set 1 (" + op + " (local.get 0))) (local.get 1))\n";
    }
  }
  auto* m = load(wat + ")");
  ASSERT_NE(m, nullptr);
  for (size_t i = 0; i < kCases.size(); ++i) {
    const FCase& c = kCases[i];
    std::string n = std::to_string(i);
    SCOPED_TRACE(std::string(c.op) + " " + literal(c.in, c.a) +
                 (c.arity == 2 ? " " + literal(c.in, c.b) : std::string()));
    if (c.arity == 2) {
      expect_case(c, call(m, "p" + n, {arg(c.in, c.a), arg(c.in, c.b)}));
      expect_case(c, call(m, "r" + n, {arg(c.in, c.a)}));
      expect_case(c, call(m, "s" + n, {arg(c.in, c.a), arg(c.in, c.b)}));
    } else {
      expect_case(c, call(m, "p" + n, {arg(c.in, c.a)}));
      expect_case(c, call(m, "s" + n, {arg(c.in, c.a)}));
    }
    expect_case(c, call(m, "k" + n));
  }
}

// Float comparisons are false whenever an operand is NaN (ne is true), and -0 == +0; checked both
// as values and as branch conditions.
TEST_F(EngineTest, FloatComparisonsWithNanAndSignedZero) {
  auto* m = load(R"((module
    (func (export "eq") (param f64 f64) (result i32) (f64.eq (local.get 0) (local.get 1)))
    (func (export "ne") (param f64 f64) (result i32) (f64.ne (local.get 0) (local.get 1)))
    (func (export "lt") (param f32 f32) (result i32) (f32.lt (local.get 0) (local.get 1)))
    (func (export "ge") (param f32 f32) (result i32) (f32.ge (local.get 0) (local.get 1)))
    (func (export "br_gt") (param f64) (result i32)
      (block (br_if 0 (f64.gt (local.get 0) (f64.const 0))) (return (i32.const 0))) (i32.const 1))
    (func (export "if_le") (param f32) (result i32)
      (if (result i32) (f32.le (local.get 0) (f32.const -0)) (then (i32.const 1)) (else (i32.const 0))))
    (func (export "br_not_lt") (param f64) (result i32)
      ;; !(x < 1) differs from (x >= 1) exactly when x is NaN
      (block (br_if 0 (i32.eqz (f64.lt (local.get 0) (f64.const 1)))) (return (i32.const 0)))
      (i32.const 1))
  ))");
  const double nan = std::bit_cast<double>(kD_Nan);
  const float nanf = std::bit_cast<float>(static_cast<uint32_t>(kS_Nan));
  using V = Value;
  EXPECT_EQ(call_int(m, "eq", {V::f64(0.0), V::f64(-0.0)}), 1);
  EXPECT_EQ(call_int(m, "eq", {V::f64(nan), V::f64(nan)}), 0);
  EXPECT_EQ(call_int(m, "ne", {V::f64(nan), V::f64(nan)}), 1);
  EXPECT_EQ(call_int(m, "ne", {V::f64(-0.0), V::f64(0.0)}), 0);
  EXPECT_EQ(call_int(m, "lt", {V::f32(-0.0f), V::f32(0.0f)}), 0);
  EXPECT_EQ(call_int(m, "lt", {V::f32(nanf), V::f32(1.0f)}), 0);
  EXPECT_EQ(call_int(m, "lt", {V::f32(-1.0f), V::f32(1.0f)}), 1);
  EXPECT_EQ(call_int(m, "ge", {V::f32(1.0f), V::f32(nanf)}), 0);
  EXPECT_EQ(call_int(m, "ge", {V::f32(-0.0f), V::f32(0.0f)}), 1);
  EXPECT_EQ(call_int(m, "br_gt", {V::f64(0.5)}), 1);
  EXPECT_EQ(call_int(m, "br_gt", {V::f64(-0.0)}), 0);
  EXPECT_EQ(call_int(m, "br_gt", {V::f64(nan)}), 0);
  EXPECT_EQ(call_int(m, "if_le", {V::f32(0.0f)}), 1);
  EXPECT_EQ(call_int(m, "if_le", {V::f32(nanf)}), 0);
  EXPECT_EQ(call_int(m, "br_not_lt", {V::f64(nan)}), 1);
  EXPECT_EQ(call_int(m, "br_not_lt", {V::f64(0.0)}), 0);
  EXPECT_EQ(call_int(m, "br_not_lt", {V::f64(2.0)}), 1);
}

}  // namespace
}  // namespace lantern::engine
