// The standard `name` custom section: module name (0), function names (1), local names (2).
// It is only custom data, so any malformation just means "no names" rather than an error.
#include "wasm/decoder_internal.h"

namespace lantern::wasm::detail {
namespace {

bool read_name_map(ByteReader& r, std::map<uint32_t, std::string>& out) {
  auto count = r.len32();
  if (!count) return false;
  for (uint32_t i = 0; i < *count; ++i) {
    auto index = r.u32();
    if (!index) return false;
    auto name = r.name();
    if (!name) return false;
    out[*index] = std::move(*name);
  }
  return true;
}

bool read_subsection(uint8_t id, ByteReader& r, NameSection& names) {
  switch (id) {
    case 0: {
      auto name = r.name();
      if (!name) return false;
      names.module_name = std::move(*name);
      return true;
    }
    case 1:
      return read_name_map(r, names.function_names);
    case 2: {
      auto count = r.len32();
      if (!count) return false;
      for (uint32_t i = 0; i < *count; ++i) {
        auto func = r.u32();
        if (!func) return false;
        if (!read_name_map(r, names.local_names[*func])) return false;
      }
      return true;
    }
    default:  // label, type, table, ... names of the extended name section: not needed
      r.seek(r.size());
      return true;
  }
}

}  // namespace

std::optional<NameSection> decode_name_section(std::span<const uint8_t> payload) {
  ByteReader r(payload);
  NameSection names;
  while (!r.at_end()) {
    auto id = r.u8();
    if (!id) return std::nullopt;
    auto size = r.u32();
    if (!size || *size > r.remaining()) return std::nullopt;
    ByteReader sub(payload.subspan(r.pos(), *size));
    if (!read_subsection(*id, sub, names) || !sub.at_end()) return std::nullopt;
    r.seek(r.pos() + *size);
  }
  return names;
}

}  // namespace lantern::wasm::detail
