// The one instruction decoder, driven by the opcode table's immediate kinds. Helpers return a
// static error message (nullptr on success) so the hot path builds no Error objects.
#include "lantern/wasm/instr_reader.h"

#include <fmt/format.h>

#include <array>
#include <cstring>

#include "lantern/wasm/leb128.h"
#include "wasm/byte_reader.h"

namespace lantern::wasm {
namespace {

using detail::kUnexpectedEnd;

// Immediate kind per single-byte opcode, with a marker for bytes that need the slow path
// (prefixes and undefined opcodes); saves a dependent load on the hot path.
constexpr uint8_t kSlowPath = 0xFF;
constexpr std::array<uint8_t, 256> kImmByByte = [] {
  std::array<uint8_t, 256> table{};
  for (size_t b = 0; b < 256; ++b) {
    const Opcode op = kSingleByteOpcodes[b];
    table[b] = op == Opcode::Invalid ? kSlowPath : static_cast<uint8_t>(info(op).imm);
  }
  return table;
}();

// Works on a local copy of the position so the compiler can keep it in a register.
struct Cursor {
  std::span<const uint8_t> code;
  size_t pos;
  size_t error_at = 0;

  const char* fail(const char* message, size_t at) {
    error_at = at;
    return message;
  }

  const char* byte(uint8_t& out) {
    if (pos >= code.size()) return fail(kUnexpectedEnd, pos);
    out = code[pos++];
    return nullptr;
  }

  const char* u32(uint32_t& out) {
    if (pos < code.size() && code[pos] < 0x80) {
      out = code[pos++];
      return nullptr;
    }
    const size_t start = pos;
    uint64_t value = 0;
    const LebError status = read_uleb(code, pos, 32, value);
    if (status != LebError::None)
      return fail(detail::leb_error_message(status), status == LebError::UnexpectedEnd ? pos : start);
    out = static_cast<uint32_t>(value);
    return nullptr;
  }

  const char* sleb(unsigned bits, int64_t& out) {
    if (pos < code.size() && code[pos] < 0x80) {
      // One byte: bit 6 is the sign.
      const uint8_t b = code[pos++];
      out = (b & 0x40) ? static_cast<int64_t>(b) - 0x80 : b;
      return nullptr;
    }
    const size_t start = pos;
    const LebError status = read_sleb(code, pos, bits, out);
    if (status != LebError::None)
      return fail(detail::leb_error_message(status), status == LebError::UnexpectedEnd ? pos : start);
    return nullptr;
  }

  // A vector length: bounded by the bytes left, like every length in the binary format.
  const char* count(uint32_t& out) {
    const size_t start = pos;
    if (const char* e = u32(out)) return e;
    if (out > code.size() - start) return fail("length out of bounds", start);
    return nullptr;
  }

  const char* zero_byte() {
    uint8_t b = 0;
    if (const char* e = byte(b)) return e;
    if (b != 0) return fail("zero byte expected", pos - 1);
    return nullptr;
  }

  const char* raw(size_t n, uint64_t& out) {
    if (code.size() - pos < n) return fail(kUnexpectedEnd, code.size());
    out = 0;
    for (size_t i = 0; i < n; ++i) out |= static_cast<uint64_t>(code[pos + i]) << (8 * i);
    pos += n;
    return nullptr;
  }

  // A one-byte signed LEB type code (see ByteReader::value_type).
  const char* type_byte(ValType& out, bool ref_only) {
    const size_t start = pos;
    uint8_t b = 0;
    if (const char* e = byte(b)) return e;
    if (b & 0x80) return fail("integer representation too long", start);
    if (ref_only ? (b != 0x70 && b != 0x6F) : !is_valtype_byte(b))
      return fail(ref_only ? "malformed reference type" : "malformed value type", start);
    out = static_cast<ValType>(b);
    return nullptr;
  }

  const char* block_type(BlockType& out) {
    if (pos >= code.size()) return fail(kUnexpectedEnd, pos);
    const uint8_t b = code[pos];
    if (b == 0x40) {
      ++pos;
      out.kind = BlockType::Kind::Empty;
      return nullptr;
    }
    if ((b & 0xC0) == 0x40) {  // a one-byte negative s33: a value type
      out.kind = BlockType::Kind::Value;
      return type_byte(out.value, false);
    }
    int64_t index = 0;
    if (const char* e = sleb(33, index)) return e;
    out.kind = BlockType::Kind::TypeIndex;
    // Multi-byte negative values wrap to huge indices, which the validator rejects.
    out.type_index = static_cast<uint32_t>(index);
    return nullptr;
  }
};

}  // namespace

Expected<Instr> InstrReader::next() {
  Instr instr;
  const size_t start = pos_;
  instr.offset = base_ + start;
  if (start >= code_.size()) return make_error(Phase::Decode, kUnexpectedEnd, base_ + start);
  const uint8_t byte = code_[start];
  Opcode op = kSingleByteOpcodes[byte];
  if (kImmByByte[byte] == static_cast<uint8_t>(Imm::None)) {  // the most common case
    pos_ = start + 1;
    instr.op = op;
    return instr;
  }
  Cursor cur{code_, start + 1};
  auto failed = [&](const char* message) {
    return make_error(Phase::Decode, message, base_ + cur.error_at);
  };
  if (op == Opcode::Invalid) {
    if (byte == 0xFC) {
      uint32_t sub = 0;
      if (const char* e = cur.u32(sub)) return failed(e);
      if (sub > kMaxFcSubOpcode || kFcOpcodes[sub] == Opcode::Invalid)
        return make_error(Phase::Decode, fmt::format("illegal opcode fc {:02x}", sub),
                          base_ + start);
      op = kFcOpcodes[sub];
    } else if (byte == 0xFD) {
      return make_error(Phase::Decode, "SIMD instructions are not supported", base_ + start);
    } else {
      return make_error(Phase::Decode, fmt::format("illegal opcode {:02x}", byte), base_ + start);
    }
  }
  instr.op = op;

  const char* e = nullptr;
  switch (info(op).imm) {
    case Imm::None:
      break;
    case Imm::BlockType:
      e = cur.block_type(instr.block);
      break;
    case Imm::Label:
    case Imm::FuncIdx:
    case Imm::LocalIdx:
    case Imm::GlobalIdx:
    case Imm::TableIdx:
    case Imm::DataIdx:
    case Imm::ElemIdx:
      e = cur.u32(instr.a);
      break;
    case Imm::LabelTable: {
      uint32_t count = 0;
      if ((e = cur.count(count))) break;
      br_targets_.clear();
      br_targets_.reserve(size_t{count} + 1);
      for (uint32_t i = 0; i <= count && !e; ++i) {
        uint32_t target = 0;
        e = cur.u32(target);
        br_targets_.push_back(target);
      }
      if (!e) instr.a = br_targets_.back();  // the default label
      break;
    }
    case Imm::CallIndirect:
    case Imm::TableInit:
    case Imm::TableCopy:
      if (!(e = cur.u32(instr.a))) e = cur.u32(instr.b);
      break;
    case Imm::SelectT: {
      uint32_t count = 0;
      if ((e = cur.count(count))) break;
      instr.select_arity = count;
      for (uint32_t i = 0; i < count && !e; ++i) {
        ValType type{};
        e = cur.type_byte(type, false);
        if (i == 0) instr.type = type;
      }
      break;
    }
    case Imm::Memarg: {
      const size_t at = cur.pos;
      if ((e = cur.u32(instr.a))) break;
      // Wasm 2.0: the flags are just the alignment exponent; 2^32 and above are malformed.
      if (instr.a >= 32) {
        e = cur.fail("malformed memop flags", at);
        break;
      }
      uint32_t offset = 0;
      e = cur.u32(offset);
      instr.mem_offset = offset;
      break;
    }
    case Imm::MemIdx:
      e = cur.zero_byte();
      break;
    case Imm::I32: {
      int64_t value = 0;
      e = cur.sleb(32, value);
      instr.bits = static_cast<uint64_t>(value);
      break;
    }
    case Imm::I64: {
      int64_t value = 0;
      e = cur.sleb(64, value);
      instr.bits = static_cast<uint64_t>(value);
      break;
    }
    case Imm::F32:
      e = cur.raw(4, instr.bits);
      break;
    case Imm::F64:
      e = cur.raw(8, instr.bits);
      break;
    case Imm::RefType:
      e = cur.type_byte(instr.type, true);
      break;
    case Imm::MemoryInit:
      if (!(e = cur.u32(instr.a))) e = cur.zero_byte();
      break;
    case Imm::MemoryCopy:
      if (!(e = cur.zero_byte())) e = cur.zero_byte();
      break;
  }
  if (e) return failed(e);
  pos_ = cur.pos;
  return instr;
}

}  // namespace lantern::wasm
