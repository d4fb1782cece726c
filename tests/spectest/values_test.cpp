// Script value parsing and result comparison (NaN patterns, references, bit patterns).
#include <gtest/gtest.h>

#include "lantern/spectest/values.h"

namespace lantern::spectest {
namespace {

using engine::Value;
using wasm::ValType;

ExpectedValue expect(const char* type, const char* text) {
  auto parsed = parse_expected(ValueSpec{type, text});
  EXPECT_TRUE(parsed.has_value()) << type << " " << text;
  return parsed ? *parsed : ExpectedValue{};
}

TEST(SpectestValues, ParsesUnsignedBitPatterns) {
  auto i32 = parse_argument(ValueSpec{"i32", "4294967295"});
  ASSERT_TRUE(i32);
  EXPECT_EQ(i32->type, ValType::I32);
  EXPECT_EQ(i32->as_i32(), -1);
  auto i64 = parse_argument(ValueSpec{"i64", "18446744073709551615"});
  ASSERT_TRUE(i64);
  EXPECT_EQ(i64->as_i64(), -1);
  auto f32 = parse_argument(ValueSpec{"f32", "1069547520"});
  ASSERT_TRUE(f32);
  EXPECT_EQ(f32->as_f32(), 1.5f);
  auto f64 = parse_argument(ValueSpec{"f64", "4609434218613702656"});
  ASSERT_TRUE(f64);
  EXPECT_EQ(f64->as_f64(), 1.5);
}

TEST(SpectestValues, RejectsBadNumbersAndV128) {
  EXPECT_FALSE(parse_argument(ValueSpec{"i32", "4294967296"}));
  EXPECT_FALSE(parse_argument(ValueSpec{"i32", "-1"}));
  EXPECT_FALSE(parse_argument(ValueSpec{"i32", ""}));
  EXPECT_FALSE(parse_argument(ValueSpec{"i64", "12x"}));
  EXPECT_FALSE(parse_argument(ValueSpec{"v128", ""}));
  EXPECT_FALSE(parse_argument(ValueSpec{"f32", "nan:canonical"}));
  EXPECT_FALSE(parse_argument(ValueSpec{"funcref", "3"}));
  EXPECT_FALSE(parse_expected(ValueSpec{"f32", "nan:signalling"}));
  EXPECT_FALSE(parse_expected(ValueSpec{"i32", "nan:canonical"}));
}

TEST(SpectestValues, ExactComparisonIsBitwise) {
  EXPECT_TRUE(matches(expect("f32", "2143289344"), Value::f32_bits(0x7fc00000)));
  EXPECT_FALSE(matches(expect("f32", "0"), Value::f32_bits(0x80000000)));  // -0 != +0
  EXPECT_FALSE(matches(expect("i32", "1"), Value::i64(1)));                // type matters
  EXPECT_TRUE(matches(expect("i64", "18446744073709551615"), Value::i64(-1)));
}

TEST(SpectestValues, CanonicalNanIsExactlyTheQuietBitEitherSign) {
  ExpectedValue f32 = expect("f32", "nan:canonical");
  EXPECT_TRUE(matches(f32, Value::f32_bits(0x7fc00000)));
  EXPECT_TRUE(matches(f32, Value::f32_bits(0xffc00000)));
  EXPECT_FALSE(matches(f32, Value::f32_bits(0x7fe00000)));
  EXPECT_FALSE(matches(f32, Value::f32_bits(0x7f800001)));
  EXPECT_FALSE(matches(f32, Value::f32_bits(0x7f800000)));  // infinity
  EXPECT_FALSE(matches(f32, Value::f64_bits(0x7ff8000000000000)));
  ExpectedValue f64 = expect("f64", "nan:canonical");
  EXPECT_TRUE(matches(f64, Value::f64_bits(0x7ff8000000000000)));
  EXPECT_TRUE(matches(f64, Value::f64_bits(0xfff8000000000000)));
  EXPECT_FALSE(matches(f64, Value::f64_bits(0x7ff8000000000001)));
}

TEST(SpectestValues, ArithmeticNanNeedsTheQuietBit) {
  ExpectedValue f32 = expect("f32", "nan:arithmetic");
  EXPECT_TRUE(matches(f32, Value::f32_bits(0x7fc00000)));
  EXPECT_TRUE(matches(f32, Value::f32_bits(0xffe00001)));
  EXPECT_FALSE(matches(f32, Value::f32_bits(0x7fa00000)));  // signalling
  EXPECT_FALSE(matches(f32, Value::f32_bits(0x3f800000)));
  ExpectedValue f64 = expect("f64", "nan:arithmetic");
  EXPECT_TRUE(matches(f64, Value::f64_bits(0xfff8000000000123)));
  EXPECT_FALSE(matches(f64, Value::f64_bits(0x7ff4000000000000)));
}

TEST(SpectestValues, References) {
  ExpectedValue zero = expect("externref", "0");
  EXPECT_TRUE(matches(zero, Value::externref(externref_word(0))));
  EXPECT_FALSE(matches(zero, Value::null(ValType::ExternRef)));
  EXPECT_TRUE(matches(expect("externref", "null"), Value::null(ValType::ExternRef)));
  EXPECT_FALSE(matches(expect("externref", "null"), Value::null(ValType::FuncRef)));
  auto arg = parse_argument(ValueSpec{"externref", "5"});
  ASSERT_TRUE(arg);
  EXPECT_EQ(arg->bits, 6u);
  ExpectedValue any_func = expect("funcref", "7");
  EXPECT_TRUE(matches(any_func, Value{ValType::FuncRef, 0x1234}));
  EXPECT_FALSE(matches(any_func, Value::null(ValType::FuncRef)));
}

TEST(SpectestValues, Descriptions) {
  EXPECT_EQ(describe(Value::i32(-1)), "i32:-1 (0xffffffff)");
  EXPECT_EQ(describe(Value::f32(1.5f)), "f32:1.5 (0x3fc00000)");
  EXPECT_EQ(describe(expect("f64", "nan:canonical")), "f64:nan:canonical");
  EXPECT_EQ(describe(Value::externref(externref_word(3))), "externref:3");
  EXPECT_EQ(describe(Value::null(ValType::FuncRef)), "funcref:null");
}

}  // namespace
}  // namespace lantern::spectest
