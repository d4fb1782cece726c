// Opcode enumeration and per-opcode facts, generated from opcodes.def.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace lantern::wasm {

// Immediate kinds an instruction carries after its opcode.
enum class Imm : uint8_t {
  None,
  BlockType,     // block type: empty, value type or type index (s33)
  Label,         // label depth
  LabelTable,    // vec(label) + default label
  FuncIdx,       // function index
  CallIndirect,  // type index, table index
  SelectT,       // vec(valtype)
  LocalIdx,
  GlobalIdx,
  TableIdx,
  Memarg,     // align (log2), offset
  MemIdx,     // one reserved 0x00 byte (memory.size/grow/fill)
  I32,        // signed LEB i32
  I64,        // signed LEB i64
  F32,        // 4 raw bytes
  F64,        // 8 raw bytes
  RefType,    // reference type byte
  MemoryInit, // data index, reserved 0x00
  DataIdx,
  MemoryCopy, // two reserved 0x00 bytes
  TableInit,  // element index, table index
  ElemIdx,
  TableCopy,  // destination table, source table
};

// Operand signature for generically typed instructions: Result_Params (see opcodes.def).
enum class Sig : uint8_t {
  special,
  i_i, I_i, f_i, F_i, v_ii, v_iI, v_if, v_iF, i_v, I_v, f_v, F_v,
  i_ii, i_I, i_II, i_ff, i_FF, I_I, I_II, f_f, f_ff, F_F, F_FF,
  i_f, i_F, I_f, I_F, f_I, f_F, F_I, F_f,
};

enum class Opcode : uint16_t {
#define WASM_OP(name, prefix, code, text, imm, sig, bytes) name,
#include "lantern/wasm/opcodes.def"
#undef WASM_OP
  Count,
  Invalid = Count,
};

inline constexpr size_t kOpcodeCount = static_cast<size_t>(Opcode::Count);

struct OpcodeInfo {
  uint8_t prefix;  // 0 or 0xFC
  uint32_t code;
  std::string_view text;
  Imm imm;
  Sig sig;
  uint8_t mem_bytes;
};

inline constexpr std::array<OpcodeInfo, kOpcodeCount> kOpcodeInfo = {{
#define WASM_OP(name, prefix, code, text, imm, sig, bytes) \
  OpcodeInfo{prefix, code, text, Imm::imm, Sig::sig, bytes},
#include "lantern/wasm/opcodes.def"
#undef WASM_OP
}};

inline constexpr const OpcodeInfo& info(Opcode op) { return kOpcodeInfo[static_cast<size_t>(op)]; }

// Byte -> opcode maps for decoding; Opcode::Invalid where nothing is defined.
inline constexpr std::array<Opcode, 256> kSingleByteOpcodes = [] {
  std::array<Opcode, 256> table{};
  table.fill(Opcode::Invalid);
  for (size_t i = 0; i < kOpcodeCount; ++i)
    if (kOpcodeInfo[i].prefix == 0) table[kOpcodeInfo[i].code] = static_cast<Opcode>(i);
  return table;
}();

inline constexpr uint32_t kMaxFcSubOpcode = 17;
inline constexpr std::array<Opcode, kMaxFcSubOpcode + 1> kFcOpcodes = [] {
  std::array<Opcode, kMaxFcSubOpcode + 1> table{};
  table.fill(Opcode::Invalid);
  for (size_t i = 0; i < kOpcodeCount; ++i)
    if (kOpcodeInfo[i].prefix == 0xFC) table[kOpcodeInfo[i].code] = static_cast<Opcode>(i);
  return table;
}();

}  // namespace lantern::wasm
