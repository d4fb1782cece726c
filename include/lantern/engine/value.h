// Values crossing the engine boundary (host calls, invoke arguments and results, globals).
#pragma once

#include <bit>
#include <cstdint>
#include <string>

#include "lantern/wasm/types.h"

namespace lantern::engine {

using wasm::ValType;

struct FuncInst;

// A typed 64-bit value. f32 occupies the low 32 bits. References: 0 is null; a funcref holds a
// FuncInst*; an externref holds an opaque non-zero host word.
struct Value {
  ValType type = ValType::I32;
  uint64_t bits = 0;

  static Value i32(int32_t v) { return {ValType::I32, static_cast<uint32_t>(v)}; }
  static Value i64(int64_t v) { return {ValType::I64, static_cast<uint64_t>(v)}; }
  static Value f32(float v) { return {ValType::F32, std::bit_cast<uint32_t>(v)}; }
  static Value f64(double v) { return {ValType::F64, std::bit_cast<uint64_t>(v)}; }
  static Value f32_bits(uint32_t b) { return {ValType::F32, b}; }
  static Value f64_bits(uint64_t b) { return {ValType::F64, b}; }
  static Value funcref(const FuncInst* f) {
    return {ValType::FuncRef, reinterpret_cast<uint64_t>(f)};
  }
  static Value externref(uint64_t host_word) { return {ValType::ExternRef, host_word}; }
  static Value null(ValType ref_type) { return {ref_type, 0}; }

  int32_t as_i32() const { return static_cast<int32_t>(bits); }
  int64_t as_i64() const { return static_cast<int64_t>(bits); }
  float as_f32() const { return std::bit_cast<float>(static_cast<uint32_t>(bits)); }
  double as_f64() const { return std::bit_cast<double>(bits); }
  bool is_null() const { return bits == 0; }
};

std::string to_string(const Value& value);  // "i32:42", "f64:1.5", "funcref:null"

}  // namespace lantern::engine
