// Module decoder: header, section framing and order, and the sections with simple contents.
// Element/data segments, code and the name section live in their own decoder_*.cpp files.
#include "lantern/wasm/decoder.h"

#include <cstring>

#include "wasm/decoder_internal.h"

namespace lantern::wasm {
namespace detail {
namespace {

// Position of each non-custom section id in the required order (datacount sits before code).
constexpr int kSectionRank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};

Expected<void> decode_type_section(DecodeContext& ctx) {
  auto& r = ctx.reader;
  LANTERN_ASSIGN(const uint32_t count, r.len32());
  ctx.module.types.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    const size_t at = r.pos();
    LANTERN_ASSIGN(const uint8_t form, r.u8());
    if (form & 0x80) return r.error("integer representation too long", at);
    if (form != 0x60) return r.error("malformed function type", at);
    FuncType type;
    for (auto* list : {&type.params, &type.results}) {
      LANTERN_ASSIGN(const uint32_t n, r.len32());
      list->reserve(n);
      for (uint32_t k = 0; k < n; ++k) {
        LANTERN_ASSIGN(const ValType t, r.value_type());
        list->push_back(t);
      }
    }
    ctx.module.types.push_back(std::move(type));
  }
  return {};
}

Expected<GlobalType> read_global_type(ByteReader& r) {
  GlobalType type;
  LANTERN_ASSIGN(type.type, r.value_type());
  const size_t at = r.pos();
  LANTERN_ASSIGN(const uint8_t mut, r.u8());
  if (mut > 1) return r.error("malformed mutability", at);
  type.is_mutable = mut == 1;
  return type;
}

Expected<void> decode_import_section(DecodeContext& ctx) {
  auto& r = ctx.reader;
  LANTERN_TRY(read_vector(r, ctx.module.imports, [&](Import& import) -> Expected<void> {
    LANTERN_ASSIGN(import.module, r.name());
    LANTERN_ASSIGN(import.name, r.name());
    const size_t at = r.pos();
    LANTERN_ASSIGN(const uint8_t kind, r.u8());
    switch (kind) {
      case 0x00: {
        import.kind = ExternKind::Func;
        LANTERN_ASSIGN(import.func_type, r.u32());
        break;
      }
      case 0x01: {
        import.kind = ExternKind::Table;
        LANTERN_ASSIGN(import.table.elem, r.ref_type());
        LANTERN_ASSIGN(import.table.limits, r.limits());
        break;
      }
      case 0x02: {
        import.kind = ExternKind::Memory;
        LANTERN_ASSIGN(import.memory.limits, r.limits());
        break;
      }
      case 0x03: {
        import.kind = ExternKind::Global;
        LANTERN_ASSIGN(import.global, read_global_type(r));
        break;
      }
      default: return r.error("malformed import kind", at);
    }
    return {};
  }));
  ctx.module.count_imports();
  return {};
}

Expected<void> decode_function_section(DecodeContext& ctx) {
  auto& r = ctx.reader;
  LANTERN_ASSIGN(const uint32_t count, r.len32());
  ctx.module.functions.resize(count);
  for (auto& function : ctx.module.functions) {
    LANTERN_ASSIGN(function.type_index, r.u32());
  }
  return {};
}

Expected<void> decode_table_section(DecodeContext& ctx) {
  auto& r = ctx.reader;
  return read_vector(r, ctx.module.tables, [&](TableType& table) -> Expected<void> {
    LANTERN_ASSIGN(table.elem, r.ref_type());
    LANTERN_ASSIGN(table.limits, r.limits());
    return {};
  });
}

Expected<void> decode_memory_section(DecodeContext& ctx) {
  auto& r = ctx.reader;
  return read_vector(r, ctx.module.memories, [&](MemoryType& memory) -> Expected<void> {
    LANTERN_ASSIGN(memory.limits, r.limits());
    return {};
  });
}

Expected<void> decode_global_section(DecodeContext& ctx) {
  auto& r = ctx.reader;
  return read_vector(r, ctx.module.globals, [&](Global& global) -> Expected<void> {
    LANTERN_ASSIGN(global.type, read_global_type(r));
    return read_const_expr(ctx, global.init);
  });
}

Expected<void> decode_export_section(DecodeContext& ctx) {
  auto& r = ctx.reader;
  return read_vector(r, ctx.module.exports, [&](Export& item) -> Expected<void> {
    LANTERN_ASSIGN(item.name, r.name());
    const size_t at = r.pos();
    LANTERN_ASSIGN(const uint8_t kind, r.u8());
    if (kind > 3) return r.error("malformed export kind", at);
    item.kind = static_cast<ExternKind>(kind);
    LANTERN_ASSIGN(item.index, r.u32());
    return {};
  });
}

Expected<void> decode_custom_section(DecodeContext& ctx, size_t content_end) {
  auto& r = ctx.reader;
  CustomSection custom;
  LANTERN_ASSIGN(custom.name, r.name());
  // The size check allows a size that counts its own LEB bytes, so it can pass the file end.
  if (r.pos() > content_end || content_end > r.size()) return r.error(kUnexpectedEnd, r.pos());
  const auto payload = r.bytes().subspan(r.pos(), content_end - r.pos());
  r.seek(content_end);
  // Only the first `name` section counts; a malformed one is ignored (it is just custom data).
  if (custom.name == "name" && !ctx.saw_name_section) {
    ctx.saw_name_section = true;
    ctx.module.names = decode_name_section(payload);
  }
  if (!ctx.options.keep_custom_sections) return {};
  custom.payload.assign(payload.begin(), payload.end());
  custom.after_sections = static_cast<uint32_t>(ctx.module.section_order.size());
  ctx.module.customs.push_back(std::move(custom));
  return {};
}

Expected<void> decode_section(DecodeContext& ctx, SectionId id, size_t content_end) {
  auto& r = ctx.reader;
  switch (id) {
    case SectionId::Custom: return decode_custom_section(ctx, content_end);
    case SectionId::Type: return decode_type_section(ctx);
    case SectionId::Import: return decode_import_section(ctx);
    case SectionId::Function: return decode_function_section(ctx);
    case SectionId::Table: return decode_table_section(ctx);
    case SectionId::Memory: return decode_memory_section(ctx);
    case SectionId::Global: return decode_global_section(ctx);
    case SectionId::Export: return decode_export_section(ctx);
    case SectionId::Start: {
      LANTERN_ASSIGN(ctx.module.start, r.u32());
      return {};
    }
    case SectionId::Element: return decode_element_section(ctx);
    case SectionId::Code: return decode_code_section(ctx);
    case SectionId::Data: return decode_data_section(ctx);
    case SectionId::DataCount: {
      LANTERN_ASSIGN(ctx.module.data_count, r.u32());
      return {};
    }
  }
  return {};
}

Expected<void> decode_header(std::span<const uint8_t> bytes) {
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
  static constexpr uint8_t kVersion[4] = {0x01, 0x00, 0x00, 0x00};
  if (bytes.size() < 4) return make_error(Phase::Decode, "unexpected end", bytes.size());
  if (std::memcmp(bytes.data(), kMagic, 4) != 0)
    return make_error(Phase::Decode, "magic header not detected", 0);
  if (bytes.size() < 8) return make_error(Phase::Decode, "unexpected end", bytes.size());
  if (std::memcmp(bytes.data() + 4, kVersion, 4) != 0)
    return make_error(Phase::Decode, "unknown binary version", 4);
  return {};
}

Expected<void> decode_sections(DecodeContext& ctx) {
  auto& r = ctx.reader;
  auto& module = ctx.module;
  int last_rank = 0;
  while (!r.at_end()) {
    const size_t section_start = r.pos();
    const uint8_t id_byte = r.bytes()[section_start];
    r.set_function(Error::kNoIndex);
    if (id_byte > static_cast<uint8_t>(SectionId::DataCount)) {
      r.set_section("");
      return r.error("malformed section id", section_start);
    }
    const auto id = static_cast<SectionId>(id_byte);
    r.set_section(section_name(id));
    r.seek(section_start + 1);
    LANTERN_ASSIGN(const uint32_t size, r.len32());
    const size_t content = r.pos();
    if (id != SectionId::Custom) {
      const int rank = kSectionRank[id_byte];
      if (rank <= last_rank) return r.error("unexpected content after last section", section_start);
      last_rank = rank;
      module.section_order.push_back(id);
    }
    LANTERN_TRY(decode_section(ctx, id, content + size));
    r.set_function(Error::kNoIndex);
    if (r.pos() != content + size) return r.error("section size mismatch", content);
  }
  r.set_section("");
  const size_t end = r.size();
  if (ctx.code_count != module.functions.size())
    return r.error("function and code section have inconsistent lengths", end);
  if (module.data_count && *module.data_count != module.data.size())
    return r.error("data count and data section have inconsistent lengths", end);
  if (!module.data_count && ctx.code_uses_data_count)
    return r.error("data count section required", end);
  return {};
}

}  // namespace
}  // namespace detail

Expected<Module> decode_module(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  LANTERN_TRY(detail::decode_header(bytes));
  Module module;
  detail::DecodeContext ctx{detail::ByteReader(bytes), module, options, false, false, 0, {}};
  ctx.reader.seek(8);
  LANTERN_TRY(detail::decode_sections(ctx));
  return module;
}

}  // namespace lantern::wasm
