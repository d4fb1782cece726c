// Script values: parsing arguments and expected results, and comparing results against them.
#pragma once

#include <string>

#include "lantern/engine/value.h"
#include "lantern/spectest/script.h"
#include "lantern/util/expected.h"

namespace lantern::spectest {

struct ExpectedValue {
  enum class Match {
    Exact,          // same type and bits (floats compared bitwise)
    CanonicalNan,   // a NaN whose payload is exactly the quiet bit, either sign
    ArithmeticNan,  // a NaN with the quiet bit set, either sign
    NonNullRef,     // any non-null reference of the type
  };
  engine::Value value;
  Match match = Match::Exact;
};

// Script externref N becomes the host word N + 1 so that ref.extern 0 is not null.
inline uint64_t externref_word(uint64_t script_number) { return script_number + 1; }

// Fails (phase Config) on unknown types, v128 and malformed numbers.
Expected<engine::Value> parse_argument(const ValueSpec& spec);
Expected<ExpectedValue> parse_expected(const ValueSpec& spec);

bool matches(const ExpectedValue& expected, const engine::Value& actual);

// "i32:4294967295 (0xffffffff)", "f32:nan:canonical", "externref:3"; stable, for messages.
std::string describe(const engine::Value& value);
std::string describe(const ExpectedValue& expected);

}  // namespace lantern::spectest
