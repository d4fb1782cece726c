// Bounded LEB128 reading and writing shared by the decoder, the instruction reader and the writer.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace lantern::wasm {

enum class LebError : uint8_t { None, UnexpectedEnd, TooLong, TooLarge };

// Reads an unsigned/signed LEB128 of at most `bits` bits from data[pos...]; advances pos.
// TooLong: more bytes than ceil(bits/7); TooLarge: unused bits of the last byte are not a
// sign/zero extension (the spec's "integer too large").
LebError read_uleb(std::span<const uint8_t> data, size_t& pos, unsigned bits, uint64_t& out);
LebError read_sleb(std::span<const uint8_t> data, size_t& pos, unsigned bits, int64_t& out);

void write_uleb(std::vector<uint8_t>& out, uint64_t value);
void write_sleb(std::vector<uint8_t>& out, int64_t value);

}  // namespace lantern::wasm
