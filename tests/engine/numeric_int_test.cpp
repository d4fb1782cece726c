// Integer instructions (i32/i64): every operator through each operand path the lowering has —
// both operands from locals, an immediate on either side, both immediates, and the result written
// back over one of its own operands. Expected values are worked out by hand from the spec.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/engine_fixture.h"

namespace lantern::engine {
namespace {

using V = Value;

constexpr int64_t u64(uint64_t v) { return static_cast<int64_t>(v); }
constexpr int64_t kI64Min = INT64_MIN;
constexpr int64_t kI64Max = INT64_MAX;
const char* const kDivZero = "integer divide by zero";
const char* const kOverflow = "integer overflow";

std::string konst(const std::string& type, int64_t v) {
  return "(" + type + ".const " +
         (type == "i32" ? std::to_string(static_cast<int32_t>(v)) : std::to_string(v)) + ")";
}
Value arg(const std::string& type, int64_t v) {
  return type == "i32" ? V::i32(static_cast<int32_t>(v)) : V::i64(v);
}
bool is_compare(const std::string& op) {
  return op == "eq" || op == "ne" || op.starts_with("lt") || op.starts_with("gt") ||
         op.starts_with("le") || op.starts_with("ge");
}

// Checks a single integer result (compared at the result's width) or the trap message.
void expect_result(const Expected<std::vector<Value>, Trap>& r, const std::string& type,
                   int64_t want, const char* trap) {
  if (trap) {
    ASSERT_FALSE(r) << "expected trap " << trap;
    EXPECT_EQ(r.error().message, trap);
    return;
  }
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  if (type == "i32") EXPECT_EQ((*r)[0].as_i32(), static_cast<int32_t>(want));
  else EXPECT_EQ((*r)[0].as_i64(), want);
}

struct BinCase {
  const char* type;
  const char* op;
  int64_t a, b, want;
  const char* trap = nullptr;
};

const std::vector<BinCase> kBinCases = {
    {"i32", "add", 1, 2, 3},
    {"i32", "add", 0x7fffffff, 1, 0x80000000},
    {"i32", "add", -1, -1, -2},
    {"i32", "add", 5, -7, -2},
    {"i32", "sub", 0, 0x80000000, 0x80000000},
    {"i32", "sub", 3, 5, -2},
    {"i32", "sub", -5, -7, 2},
    {"i32", "mul", 0x10000, 0x10000, 0},
    {"i32", "mul", 0x7fffffff, 2, -2},
    {"i32", "mul", -3, 7, -21},
    {"i32", "mul", 0x12345678, 0x10, 0x23456780},
    {"i32", "div_s", -7, 2, -3},
    {"i32", "div_s", 7, -2, -3},
    {"i32", "div_s", 0x80000000, 2, -0x40000000},
    {"i32", "div_s", 0x80000000, -1, 0, kOverflow},
    {"i32", "div_s", 1, 0, 0, kDivZero},
    {"i32", "div_u", -1, 2, 0x7fffffff},
    {"i32", "div_u", 0x80000000, -1, 0},
    {"i32", "div_u", 7, 0, 0, kDivZero},
    {"i32", "rem_s", -7, 2, -1},
    {"i32", "rem_s", 7, -2, 1},
    {"i32", "rem_s", 0x80000000, -1, 0},
    {"i32", "rem_s", 5, 0, 0, kDivZero},
    {"i32", "rem_u", -2, 5, 4},
    {"i32", "rem_u", 0x80000000, -1, 0x80000000},
    {"i32", "rem_u", 5, 0, 0, kDivZero},
    {"i32", "and", 0xff00ff00, 0x0ff00ff0, 0x0f000f00},
    {"i32", "or", 0xff00ff00, 0x0ff00ff0, 0xfff0fff0},
    {"i32", "xor", 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0},
    {"i32", "shl", 1, 31, 0x80000000},
    {"i32", "shl", 1, 32, 1},  // counts are taken modulo the width
    {"i32", "shl", 3, 33, 6},
    {"i32", "shl", 1, -1, 0x80000000},
    {"i32", "shr_s", 0x80000000, 31, -1},
    {"i32", "shr_s", -16, 2, -4},
    {"i32", "shr_s", -1, 100, -1},
    {"i32", "shr_s", 0x40000000, -2, 1},
    {"i32", "shr_u", 0x80000000, 31, 1},
    {"i32", "shr_u", 0x80000000, 35, 0x10000000},
    {"i32", "shr_u", -16, 2, 0x3ffffffc},
    {"i32", "rotl", 0x80000001, 1, 3},
    {"i32", "rotl", 0x12345678, 4, 0x23456781},
    {"i32", "rotl", 0x12345678, 36, 0x23456781},
    {"i32", "rotl", 0x12345678, 7, 0x1a2b3c09},
    {"i32", "rotl", 0x12345678, -4, 0x81234567},
    {"i32", "rotl", 0xabcd1234, 0, 0xabcd1234},
    {"i32", "rotr", 0x80000001, 1, 0xc0000000},
    {"i32", "rotr", 0x12345678, 4, 0x81234567},
    {"i32", "rotr", 1, 33, 0x80000000},
    {"i32", "eq", 5, 5, 1},
    {"i32", "eq", 5, -5, 0},
    {"i32", "ne", 5, 5, 0},
    {"i32", "ne", -1, 0xffffffff, 0},
    {"i32", "lt_s", -1, 1, 1},
    {"i32", "lt_s", 1, -1, 0},
    {"i32", "lt_s", 5, 5, 0},
    {"i32", "lt_u", -1, 1, 0},
    {"i32", "lt_u", 1, -1, 1},
    {"i32", "gt_s", -1, 1, 0},
    {"i32", "gt_s", 0x7fffffff, 0x80000000, 1},
    {"i32", "gt_u", -1, 1, 1},
    {"i32", "gt_u", 0x7fffffff, 0x80000000, 0},
    {"i32", "le_s", 5, 5, 1},
    {"i32", "le_s", 6, 5, 0},
    {"i32", "le_s", 0x80000000, 0x7fffffff, 1},
    {"i32", "le_u", 5, 5, 1},
    {"i32", "le_u", 0x80000000, 0x7fffffff, 0},
    {"i32", "ge_s", 5, 5, 1},
    {"i32", "ge_s", -6, 5, 0},
    {"i32", "ge_u", -6, 5, 1},
    {"i32", "ge_u", 4, 5, 0},

    {"i64", "add", kI64Max, 1, kI64Min},
    {"i64", "add", -1, -1, -2},
    {"i64", "add", 0xffffffff, 1, 0x100000000},
    {"i64", "sub", 0, kI64Min, kI64Min},
    {"i64", "sub", 0x100000000, 1, 0xffffffff},
    {"i64", "mul", 0x100000000, 0x100000000, 0},
    {"i64", "mul", 0x123456789, 0x10, 0x1234567890},
    {"i64", "mul", -3, 7, -21},
    {"i64", "mul", kI64Max, 2, -2},
    {"i64", "div_s", -7, 2, -3},
    {"i64", "div_s", kI64Min, 2, u64(0xc000000000000000)},
    {"i64", "div_s", kI64Min, -1, 0, kOverflow},
    {"i64", "div_s", 1, 0, 0, kDivZero},
    {"i64", "div_u", -1, 2, kI64Max},
    {"i64", "div_u", kI64Min, -1, 0},
    {"i64", "div_u", kI64Min, 0x100000000, 0x80000000},
    {"i64", "div_u", 1, 0, 0, kDivZero},
    {"i64", "rem_s", -7, 2, -1},
    {"i64", "rem_s", 7, -2, 1},
    {"i64", "rem_s", kI64Min, -1, 0},
    {"i64", "rem_s", 1, 0, 0, kDivZero},
    {"i64", "rem_u", -1, 10, 5},
    {"i64", "rem_u", kI64Min, -1, kI64Min},
    {"i64", "rem_u", 1, 0, 0, kDivZero},
    {"i64", "and", u64(0xff00ff00ff00ff00), 0x0ff00ff00ff00ff0, 0x0f000f000f000f00},
    {"i64", "or", u64(0xff00ff00ff00ff00), 0x0ff00ff00ff00ff0, u64(0xfff0fff0fff0fff0)},
    {"i64", "xor", u64(0xff00ff00ff00ff00), 0x0ff00ff00ff00ff0, u64(0xf0f0f0f0f0f0f0f0)},
    {"i64", "shl", 1, 63, kI64Min},
    {"i64", "shl", 1, 64, 1},
    {"i64", "shl", 1, -1, kI64Min},
    {"i64", "shl", 3, 65, 6},
    {"i64", "shl", 0xffffffff, 32, u64(0xffffffff00000000)},
    {"i64", "shr_s", kI64Min, 63, -1},
    {"i64", "shr_s", -16, 2, -4},
    {"i64", "shr_s", kI64Min, -1, -1},
    {"i64", "shr_s", 0x4000000000000000, -2, 1},
    {"i64", "shr_u", kI64Min, 63, 1},
    {"i64", "shr_u", -16, 2, 0x3ffffffffffffffc},
    {"i64", "shr_u", kI64Min, -1, 1},
    {"i64", "shr_u", -1, 32, 0xffffffff},
    {"i64", "rotl", u64(0x8000000000000001), 1, 3},
    {"i64", "rotl", 0x0123456789abcdef, 4, 0x123456789abcdef0},
    {"i64", "rotl", 0x0123456789abcdef, 68, 0x123456789abcdef0},
    {"i64", "rotl", 0x0123456789abcdef, -4, u64(0xf0123456789abcde)},
    {"i64", "rotl", u64(0xf123456789abcdef), 7, u64(0x91a2b3c4d5e6f7f8)},
    {"i64", "rotr", 1, 1, kI64Min},
    {"i64", "rotr", 0x0123456789abcdef, 4, u64(0xf0123456789abcde)},
    {"i64", "rotr", 0x0123456789abcdef, 32, u64(0x89abcdef01234567)},
    {"i64", "eq", kI64Min, kI64Min, 1},
    {"i64", "eq", 0x100000000, 0, 0},  // the upper half takes part
    {"i64", "ne", 0x100000000, 0, 1},
    {"i64", "lt_s", -1, 1, 1},
    {"i64", "lt_s", 0x100000000, 0xffffffff, 0},
    {"i64", "lt_s", 0xffffffff, 0x100000000, 1},
    {"i64", "lt_s", 5, -1, 0},
    {"i64", "lt_u", -1, 1, 0},
    {"i64", "lt_u", 5, -1, 1},
    {"i64", "gt_s", kI64Max, kI64Min, 1},
    {"i64", "gt_s", 5, -1, 1},
    {"i64", "gt_u", kI64Max, kI64Min, 0},
    {"i64", "le_s", kI64Min, kI64Max, 1},
    {"i64", "le_u", kI64Min, kI64Max, 0},
    {"i64", "ge_s", -5, -5, 1},
    {"i64", "ge_u", -5, -4, 0},
    {"i64", "ge_u", -4, -5, 1},
};

// Per case: p = both operands from parameters, r/l = immediate on the right/left, k = both
// immediates, s = result stored over the right operand's local, t = immediate operand and the
// result stored over the left operand's local (only when the result type matches).
std::string bin_module(const std::vector<BinCase>& cases) {
  std::string wat = "(module\n";
  for (size_t i = 0; i < cases.size(); ++i) {
    const BinCase& c = cases[i];
    std::string t = c.type, n = std::to_string(i);
    std::string res = is_compare(c.op) ? "i32" : t;
    std::string op = t + "." + c.op;
    std::string ka = konst(t, c.a), kb = konst(t, c.b);
    wat += "(func (export \"p" + n + "\") (param " + t + " " + t + ") (result " + res + ") (" + op +
           " (local.get 0) (local.get 1)))\n";
    wat += "(func (export \"r" + n + "\") (param " + t + ") (result " + res + ") (" + op +
           " (local.get 0) " + kb + "))\n";
    wat += "(func (export \"l" + n + "\") (param " + t + ") (result " + res + ") (" + op + " " + ka +
           " (local.get 0)))\n";
    wat += "(func (export \"k" + n + "\") (result " + res + ") (" + op + " " + ka + " " + kb + "))\n";
    if (res == t) {
      wat += "(func (export \"s" + n + "\") (param " + t + " " + t + ") (result " + t +
             ") (local.set 1 (" + op + " (local.get 0) (local.get 1))) (local.get 1))\n";
      wat += "(func (export \"t" + n + "\") (param " + t + ") (result " + t + ") (local.set 0 (" +
             op + " (local.get 0) " + kb + ")) (local.get 0))\n";
    } else {
      wat += "(func (export \"s" + n + "\") (param " + t + " " + t + ") (result i32) (local i32)" +
             " (local.set 2 (" + op + " (local.get 0) (local.get 1))) (local.get 2))\n";
    }
  }
  return wat + ")";
}

TEST_F(EngineTest, IntegerBinaryOperatorsOnEveryOperandPath) {
  auto* m = load(bin_module(kBinCases));
  ASSERT_NE(m, nullptr);
  for (size_t i = 0; i < kBinCases.size(); ++i) {
    const BinCase& c = kBinCases[i];
    std::string t = c.type, n = std::to_string(i);
    std::string res = is_compare(c.op) ? "i32" : t;
    SCOPED_TRACE(t + "." + c.op + " " + std::to_string(c.a) + " " + std::to_string(c.b));
    expect_result(call(m, "p" + n, {arg(t, c.a), arg(t, c.b)}), res, c.want, c.trap);
    expect_result(call(m, "r" + n, {arg(t, c.a)}), res, c.want, c.trap);
    expect_result(call(m, "l" + n, {arg(t, c.b)}), res, c.want, c.trap);
    expect_result(call(m, "k" + n), res, c.want, c.trap);
    expect_result(call(m, "s" + n, {arg(t, c.a), arg(t, c.b)}), res, c.want, c.trap);
    if (res == t) expect_result(call(m, "t" + n, {arg(t, c.a)}), res, c.want, c.trap);
  }
}

struct UnCase {
  const char* in;
  const char* op;  // full name, e.g. "i64.extend32_s"
  const char* out;
  int64_t a, want;
};

const std::vector<UnCase> kUnCases = {
    {"i32", "i32.clz", "i32", 0, 32},
    {"i32", "i32.clz", "i32", 1, 31},
    {"i32", "i32.clz", "i32", 0x80000000, 0},
    {"i32", "i32.clz", "i32", 0x8000, 16},
    {"i32", "i32.ctz", "i32", 0, 32},
    {"i32", "i32.ctz", "i32", 0x80000000, 31},
    {"i32", "i32.ctz", "i32", 0x8000, 15},
    {"i32", "i32.ctz", "i32", 1, 0},
    {"i32", "i32.popcnt", "i32", 0, 0},
    {"i32", "i32.popcnt", "i32", -1, 32},
    {"i32", "i32.popcnt", "i32", 0x55555555, 16},
    {"i32", "i32.popcnt", "i32", 0x80008000, 2},
    {"i32", "i32.eqz", "i32", 0, 1},
    {"i32", "i32.eqz", "i32", 5, 0},
    {"i32", "i32.eqz", "i32", 0x80000000, 0},
    {"i64", "i64.clz", "i64", 0, 64},
    {"i64", "i64.clz", "i64", 1, 63},
    {"i64", "i64.clz", "i64", kI64Min, 0},
    {"i64", "i64.clz", "i64", 0x100000000, 31},
    {"i64", "i64.ctz", "i64", 0, 64},
    {"i64", "i64.ctz", "i64", kI64Min, 63},
    {"i64", "i64.ctz", "i64", 0x100000000, 32},
    {"i64", "i64.ctz", "i64", 1, 0},
    {"i64", "i64.popcnt", "i64", -1, 64},
    {"i64", "i64.popcnt", "i64", 0x5555555555555555, 32},
    {"i64", "i64.popcnt", "i64", u64(0x8000000080000000), 2},
    {"i64", "i64.popcnt", "i64", 0, 0},
    {"i64", "i64.eqz", "i32", 0, 1},
    {"i64", "i64.eqz", "i32", 0x100000000, 0},
    {"i64", "i64.eqz", "i32", kI64Min, 0},
    {"i32", "i32.extend8_s", "i32", 0x7f, 127},
    {"i32", "i32.extend8_s", "i32", 0x80, -128},
    {"i32", "i32.extend8_s", "i32", 0x12345680, -128},
    {"i32", "i32.extend8_s", "i32", 0x1234567f, 0x7f},
    {"i32", "i32.extend8_s", "i32", 0xff, -1},
    {"i32", "i32.extend16_s", "i32", 0x7fff, 32767},
    {"i32", "i32.extend16_s", "i32", 0x8000, -32768},
    {"i32", "i32.extend16_s", "i32", 0x12348000, -32768},
    {"i32", "i32.extend16_s", "i32", 0xffff, -1},
    {"i64", "i64.extend8_s", "i64", 0x80, -128},
    {"i64", "i64.extend8_s", "i64", 0x0123456789abcd7f, 127},
    {"i64", "i64.extend8_s", "i64", 0xff, -1},
    {"i64", "i64.extend16_s", "i64", 0x8000, -32768},
    {"i64", "i64.extend16_s", "i64", 0x123456789abc7fff, 32767},
    {"i64", "i64.extend32_s", "i64", 0x80000000, -2147483648LL},
    {"i64", "i64.extend32_s", "i64", 0x7fffffff, 0x7fffffff},
    {"i64", "i64.extend32_s", "i64", 0x123456789abcdef0, u64(0xffffffff9abcdef0)},
    {"i64", "i32.wrap_i64", "i32", 0x123456789abcdef0, 0x9abcdef0},
    {"i64", "i32.wrap_i64", "i32", -1, -1},
    {"i64", "i32.wrap_i64", "i32", 0x100000000, 0},
    {"i32", "i64.extend_i32_s", "i64", -1, -1},
    {"i32", "i64.extend_i32_s", "i64", 0x80000000, -2147483648LL},
    {"i32", "i64.extend_i32_s", "i64", 0x7fffffff, 0x7fffffff},
    {"i32", "i64.extend_i32_u", "i64", -1, 0xffffffff},
    {"i32", "i64.extend_i32_u", "i64", 0x80000000, 0x80000000},
};

TEST_F(EngineTest, IntegerUnaryOperatorsAndConversions) {
  std::string wat = "(module\n";
  for (size_t i = 0; i < kUnCases.size(); ++i) {
    const UnCase& c = kUnCases[i];
    std::string n = std::to_string(i), in = c.in, out = c.out, op = c.op;
    wat += "(func (export \"p" + n + "\") (param " + in + ") (result " + out + ") (" + op +
           " (local.get 0)))\n";
    wat += "(func (export \"k" + n + "\") (result " + out + ") (" + op + " " + konst(in, c.a) + "))\n";
    wat += "(func (export \"s" + n + "\") (param " + in + ") (result " + out + ") (local " + out +
           ") (local.set 1 (" + op + " (local.get 0))) (local.get 1))\n";
  }
  auto* m = load(wat + ")");
  ASSERT_NE(m, nullptr);
  for (size_t i = 0; i < kUnCases.size(); ++i) {
    const UnCase& c = kUnCases[i];
    std::string n = std::to_string(i);
    SCOPED_TRACE(std::string(c.op) + " " + std::to_string(c.a));
    expect_result(call(m, "p" + n, {arg(c.in, c.a)}), c.out, c.want, nullptr);
    expect_result(call(m, "k" + n), c.out, c.want, nullptr);
    expect_result(call(m, "s" + n, {arg(c.in, c.a)}), c.out, c.want, nullptr);
  }
}

// The spec's comparison relations, used to derive the expected outcome of every branch below.
bool compare(const std::string& type, const std::string& op, int64_t a, int64_t b) {
  bool narrow = type == "i32";
  int64_t sa = narrow ? static_cast<int32_t>(a) : a, sb = narrow ? static_cast<int32_t>(b) : b;
  uint64_t ua = narrow ? static_cast<uint32_t>(a) : static_cast<uint64_t>(a);
  uint64_t ub = narrow ? static_cast<uint32_t>(b) : static_cast<uint64_t>(b);
  if (op == "eq") return ua == ub;
  if (op == "ne") return ua != ub;
  if (op == "lt_s") return sa < sb;
  if (op == "lt_u") return ua < ub;
  if (op == "gt_s") return sa > sb;
  if (op == "gt_u") return ua > ub;
  if (op == "le_s") return sa <= sb;
  if (op == "le_u") return ua <= ub;
  if (op == "ge_s") return sa >= sb;
  return ua >= ub;  // ge_u
}

// Compare results consumed by br_if, inverted br_if, if, select and a local, with the right
// operand from a parameter or an immediate, and with the immediate on the left.
TEST_F(EngineTest, ComparisonsFeedingBranchesSelectAndLocals) {
  const std::vector<std::string> ops = {"eq",   "ne",   "lt_s", "lt_u", "gt_s",
                                        "gt_u", "le_s", "le_u", "ge_s", "ge_u"};
  const std::vector<int64_t> values = {0, 1, -1, 5, 0x7fffffff, 0x80000000, 0x100000000, kI64Min};
  for (std::string t : {"i32", "i64"}) {
    std::string wat = "(module\n";
    auto uses = [&](const std::string& name, const std::string& params, const std::string& cmp) {
      wat += "(func (export \"brif_" + name + "\") " + params + " (result i32)" +
             " (block (br_if 0 " + cmp + ") (return (i32.const 0))) (i32.const 1))\n";
      wat += "(func (export \"brnot_" + name + "\") " + params + " (result i32)" +
             " (block (br_if 0 (i32.eqz " + cmp + ")) (return (i32.const 1))) (i32.const 0))\n";
      wat += "(func (export \"if_" + name + "\") " + params + " (result i32)" +
             " (if (result i32) " + cmp + " (then (i32.const 1)) (else (i32.const 0))))\n";
      wat += "(func (export \"sel_" + name + "\") " + params + " (result i32)" +
             " (i32.sub (select (i32.const 11) (i32.const 10) " + cmp + ") (i32.const 10)))\n";
      wat += "(func (export \"loc_" + name + "\") " + params + " (result i32) (local $c i32)" +
             " (local.set $c " + cmp + ") (i32.mul (local.get $c) (local.get $c)))\n";
    };
    for (const auto& op : ops) {
      std::string cmp = "(" + t + "." + op;
      uses(op + "_p", "(param " + t + " " + t + ")", cmp + " (local.get 0) (local.get 1))");
      for (size_t j = 0; j < values.size(); ++j) {
        std::string k = konst(t, values[j]), n = op + "_" + std::to_string(j);
        uses(n + "_r", "(param " + t + ")", cmp + " (local.get 0) " + k + ")");
        uses(n + "_l", "(param " + t + ")", cmp + " " + k + " (local.get 0))");
      }
    }
    auto* m = load(wat + ")");
    ASSERT_NE(m, nullptr);
    for (const auto& op : ops) {
      for (size_t i = 0; i < values.size(); ++i) {
        for (size_t j = 0; j < values.size(); ++j) {
          int64_t a = values[i], b = values[j];
          int want = compare(t, op, a, b);
          SCOPED_TRACE(t + "." + op + " " + std::to_string(a) + " " + std::to_string(b));
          std::string kr = op + "_" + std::to_string(j) + "_r", kl = op + "_" + std::to_string(i) + "_l";
          for (std::string use : {"brif_", "brnot_", "if_", "sel_", "loc_"}) {
            EXPECT_EQ(call_int(m, use + op + "_p", {arg(t, a), arg(t, b)}), want) << use;
            EXPECT_EQ(call_int(m, use + kr, {arg(t, a)}), want) << use << "immediate right";
            EXPECT_EQ(call_int(m, use + kl, {arg(t, b)}), want) << use << "immediate left";
          }
        }
      }
    }
  }
}

TEST_F(EngineTest, CompareAndBranchOnLoopBackEdges) {
  auto* m = load(R"((module
    (func (export "count_up") (param i32) (result i32) (local $i i32)
      (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_s (local.get $i) (local.get 0))))
      (local.get $i))
    (func (export "count_down64") (param i64) (result i64) (local $n i64)
      ;; steps by -3 until the counter drops to -10 or below (an immediate negative bound)
      (loop $l (local.set 0 (i64.add (local.get 0) (i64.const -3)))
        (local.set $n (i64.add (local.get $n) (i64.const 1)))
        (br_if $l (i64.gt_s (local.get 0) (i64.const -10))))
      (local.get $n))
    (func (export "unsigned_bound") (param i32) (result i32) (local $n i32)
      ;; an unsigned compare against a "negative" immediate: loops while i <u 0xfffffffd
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get 0) (i32.const -3)))
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $l)))
      (local.get $n))
  ))");
  EXPECT_EQ(call_int(m, "count_up", {V::i32(10)}), 10);
  EXPECT_EQ(call_int(m, "count_up", {V::i32(-5)}), 1);  // body runs once
  EXPECT_EQ(call_int(m, "count_down64", {V::i64(0)}), 4);   // -3 -6 -9 -12
  EXPECT_EQ(call_int(m, "count_down64", {V::i64(-100)}), 1);
  EXPECT_EQ(call_int(m, "unsigned_bound", {V::i32(-10)}), 7);  // -10 .. -4
  EXPECT_EQ(call_int(m, "unsigned_bound", {V::i32(-2)}), 0);
}

// An immediate add/sub may be kept pending by the lowering; its value must be fixed at the point
// the instruction executes, and its wrap-around must happen before a memory offset is added.
TEST_F(EngineTest, PendingImmediateArithmeticKeepsItsValue) {
  auto* m = load(R"((module
    (memory 1)
    (data (i32.const 0) "\2a\00\00\00\63\00\00\00")
    (func (export "add_then_overwrite") (param i32) (result i32)
      (i32.add (local.get 0) (i32.const 5))
      (local.set 0 (i32.const 100))
      (i32.add (local.get 0)))  ;; (x + 5) + 100
    (func (export "sub_then_tee") (param i64) (result i64)
      (i64.sub (local.get 0) (i64.const -7))
      (i64.mul (local.tee 0 (i64.const 3)) (i64.const 1000))
      (i64.add))  ;; (x + 7) + 3000
    (func (export "pending_into_block") (param i32) (result i32)
      (i32.add (local.get 0) (i32.const 1))
      (block (param i32) (result i32) (local.set 0 (i32.const 0)) (i32.add (local.get 0))))
    (func (export "load_wrapped") (param i32) (result i32)
      (i32.load (i32.add (local.get 0) (i32.const 4))))
    (func (export "load_below") (param i32) (result i32)
      (i32.load (i32.sub (local.get 0) (i32.const 4))))
    (func (export "load_offset") (param i32) (result i32)
      (i32.load offset=4 (i32.add (local.get 0) (i32.const -8))))
  ))");
  EXPECT_EQ(call_int(m, "add_then_overwrite", {V::i32(1)}), 106);
  EXPECT_EQ(call_int(m, "sub_then_tee", {V::i64(1)}), 3008);
  EXPECT_EQ(call_int(m, "pending_into_block", {V::i32(41)}), 42);
  // -4 + 4 wraps to address 0 in i32 arithmetic; it is not address 2^32.
  EXPECT_EQ(call_int(m, "load_wrapped", {V::i32(-4)}), 42);
  EXPECT_EQ(call_int(m, "load_below", {V::i32(4)}), 42);
  // 2 - 4 wraps to 0xfffffffe: out of bounds, never a read before the memory.
  EXPECT_EQ(trap_of(m, "load_below", {V::i32(2)}), "out of bounds memory access");
  EXPECT_EQ(call_int(m, "load_offset", {V::i32(8)}), 99);  // (8 - 8) + offset 4
  // (4 - 8) wraps to 0xfffffffc; adding the offset gives 2^32, which is out of bounds.
  EXPECT_EQ(trap_of(m, "load_offset", {V::i32(4)}), "out of bounds memory access");
}

}  // namespace
}  // namespace lantern::engine
