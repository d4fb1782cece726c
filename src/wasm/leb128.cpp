// LEB128 with the spec's bounds: at most ceil(bits/7) bytes, and the unused bits of the last byte
// must be a zero (unsigned) or sign (signed) extension.
#include "lantern/wasm/leb128.h"

#include "wasm/byte_reader.h"

namespace lantern::wasm {

LebError read_uleb(std::span<const uint8_t> data, size_t& pos, unsigned bits, uint64_t& out) {
  uint64_t result = 0;
  unsigned shift = 0;
  int remaining = static_cast<int>(bits);  // value bits this byte may still carry
  for (;;) {
    if (remaining <= 0) return LebError::TooLong;
    if (pos >= data.size()) return LebError::UnexpectedEnd;
    const uint8_t byte = data[pos++];
    if (remaining < 7 && (byte & 0x7F) >= (1u << remaining)) return LebError::TooLarge;
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      out = result;
      return LebError::None;
    }
    shift += 7;
    remaining -= 7;
  }
}

LebError read_sleb(std::span<const uint8_t> data, size_t& pos, unsigned bits, int64_t& out) {
  uint64_t result = 0;
  unsigned shift = 0;
  int remaining = static_cast<int>(bits);
  for (;;) {
    if (remaining <= 0) return LebError::TooLong;
    if (pos >= data.size()) return LebError::UnexpectedEnd;
    const uint8_t byte = data[pos++];
    if (remaining < 7) {
      // The bits above the value (including its sign bit) must all equal the sign.
      const uint8_t mask = static_cast<uint8_t>((0xFFu << (remaining - 1)) & 0x7F);
      if ((byte & mask) != 0 && (byte & mask) != mask) return LebError::TooLarge;
    }
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    shift += 7;
    if ((byte & 0x80) == 0) {
      if (shift < 64 && (byte & 0x40)) result |= ~uint64_t{0} << shift;
      out = static_cast<int64_t>(result);
      return LebError::None;
    }
    remaining -= 7;
  }
}

void write_uleb(std::vector<uint8_t>& out, uint64_t value) {
  do {
    uint8_t byte = value & 0x7F;
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(byte);
  } while (value != 0);
}

void write_sleb(std::vector<uint8_t>& out, int64_t value) {
  for (;;) {
    const uint8_t byte = value & 0x7F;
    value >>= 7;  // arithmetic shift keeps the sign
    const bool done = (value == 0 && (byte & 0x40) == 0) || (value == -1 && (byte & 0x40) != 0);
    if (done) {
      out.push_back(byte);
      return;
    }
    out.push_back(byte | 0x80);
  }
}

}  // namespace lantern::wasm

namespace lantern::wasm::detail {

const char* leb_error_message(LebError error) {
  switch (error) {
    case LebError::None: return "";
    case LebError::UnexpectedEnd: return kUnexpectedEnd;
    case LebError::TooLong: return "integer representation too long";
    case LebError::TooLarge: return "integer too large";
  }
  return "malformed integer";
}

}  // namespace lantern::wasm::detail
