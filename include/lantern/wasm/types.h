// Wasm types: value types, function types, limits and the types of imports/exports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lantern::wasm {

// Values are the binary encodings of the types.
enum class ValType : uint8_t {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,
  FuncRef = 0x70,
  ExternRef = 0x6F,
};

const char* to_string(ValType type);
inline bool is_ref(ValType type) { return type == ValType::FuncRef || type == ValType::ExternRef; }
inline bool is_valtype_byte(uint8_t byte) {
  return byte == 0x7F || byte == 0x7E || byte == 0x7D || byte == 0x7C || byte == 0x7B ||
         byte == 0x70 || byte == 0x6F;
}

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};
std::string to_string(const FuncType& type);  // "(i32, i64) -> (f32)"

struct Limits {
  uint32_t min = 0;
  std::optional<uint32_t> max;
  bool operator==(const Limits&) const = default;
};

struct TableType {
  ValType elem = ValType::FuncRef;
  Limits limits;
  bool operator==(const TableType&) const = default;
};

struct MemoryType {
  Limits limits;
  bool operator==(const MemoryType&) const = default;
};

struct GlobalType {
  ValType type = ValType::I32;
  bool is_mutable = false;
  bool operator==(const GlobalType&) const = default;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };
const char* to_string(ExternKind kind);

inline constexpr uint32_t kPageSize = 65536;
inline constexpr uint32_t kMaxPages = 65536;

}  // namespace lantern::wasm
