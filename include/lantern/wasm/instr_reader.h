// Reads one instruction at a time from raw instruction bytes (a function body or a constant
// expression). The only instruction decoder: the module decoder, validator, lowering and constant
// evaluation all use it, driven by the opcode table.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "lantern/util/expected.h"
#include "lantern/wasm/opcode.h"
#include "lantern/wasm/types.h"

namespace lantern::wasm {

struct BlockType {
  enum class Kind : uint8_t { Empty, Value, TypeIndex } kind = Kind::Empty;
  ValType value = ValType::I32;  // Kind::Value
  uint32_t type_index = 0;       // Kind::TypeIndex
};

struct Instr {
  Opcode op = Opcode::Invalid;
  uint64_t offset = 0;  // file offset of the opcode's first byte
  // Index immediates: label depth, function, local, global, table, type, data or element index.
  // CallIndirect: a = type index, b = table index. TableInit: a = elem, b = table.
  // TableCopy: a = destination table, b = source table. MemoryInit: a = data index.
  // Memarg: a = alignment exponent, b unused, mem_offset = offset.
  uint32_t a = 0;
  uint32_t b = 0;
  uint64_t mem_offset = 0;
  uint64_t bits = 0;  // I32/I64 constants (sign-extended to 64 bits), F32/F64 raw bit patterns
  BlockType block;
  ValType type = ValType::I32;  // RefType immediate; SelectT: the (single) type
  uint32_t select_arity = 0;    // SelectT: number of types in the vector
  // BrTable: targets then the default label, stored in the reader (see InstrReader::br_targets).

  int32_t i32() const { return static_cast<int32_t>(bits); }
  int64_t i64() const { return static_cast<int64_t>(bits); }
};

class InstrReader {
 public:
  // `base_offset` is the file offset of code[0], used for error positions.
  InstrReader(std::span<const uint8_t> code, uint64_t base_offset)
      : code_(code), base_(base_offset) {}

  bool at_end() const { return pos_ >= code_.size(); }
  uint64_t offset() const { return base_ + pos_; }
  size_t position() const { return pos_; }

  // Decodes the next instruction. Errors (phase Decode) use the spec's malformed wording:
  // "illegal opcode", "unexpected end", "integer too large", "integer representation too long",
  // "zero byte expected", "malformed reference type", ...
  Expected<Instr> next();

  // For the BrTable just read: the label table followed by the default label.
  const std::vector<uint32_t>& br_targets() const { return br_targets_; }

 private:
  std::span<const uint8_t> code_;
  uint64_t base_;
  size_t pos_ = 0;
  std::vector<uint32_t> br_targets_;
};

}  // namespace lantern::wasm
