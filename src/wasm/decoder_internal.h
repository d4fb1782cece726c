// Private to the decoder files: the state shared while decoding one module.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "lantern/wasm/decoder.h"
#include "lantern/wasm/module.h"
#include "wasm/byte_reader.h"

namespace lantern::wasm::detail {

struct DecodeContext {
  // Reads the whole file: like the reference interpreter, section contents are read from the
  // file stream and their sizes checked afterwards ("section size mismatch").
  ByteReader reader;
  Module& module;
  const DecodeOptions& options;
  bool code_uses_data_count = false;  // memory.init or data.drop seen in a function body
  bool saw_name_section = false;
  uint32_t code_count = 0;           // entries in the code section (0 when absent)
  std::vector<uint8_t> block_stack;  // scratch for expression scans
};

// Reads a vector: a u32 count (checked against the bytes left), then `count` items, each filled
// by `read_item(T&) -> Expected<void>` and appended to `out`.
template <typename T, typename ReadItem>
Expected<void> read_vector(ByteReader& r, std::vector<T>& out, ReadItem&& read_item) {
  LANTERN_ASSIGN(const uint32_t count, r.len32());
  out.reserve(out.size() + count);
  for (uint32_t i = 0; i < count; ++i) {
    T item{};
    LANTERN_TRY(read_item(item));
    out.push_back(std::move(item));
  }
  return {};
}

// Walks the instructions starting at file position `start` up to the `end` that closes the
// expression; returns the position after that `end`. Checks block/else/end nesting.
Expected<size_t> scan_expression(DecodeContext& ctx, size_t start, bool& uses_data_count);

// Reads a constant expression (instructions + final end) at the reader's position.
Expected<void> read_const_expr(DecodeContext& ctx, ConstExpr& out);

Expected<void> decode_element_section(DecodeContext& ctx);
Expected<void> decode_data_section(DecodeContext& ctx);
Expected<void> decode_code_section(DecodeContext& ctx);

// Returns nullopt when the payload is not a well-formed name section.
std::optional<NameSection> decode_name_section(std::span<const uint8_t> payload);

}  // namespace lantern::wasm::detail
