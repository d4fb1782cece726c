// Constant expressions and the element and data sections (all 8 element forms, 3 data forms).
#include "wasm/decoder_internal.h"

namespace lantern::wasm::detail {
namespace {

// Element forms 1-3 name the element kind with one byte; 0x00 (funcref) is the only one.
Expected<ValType> read_elem_kind(ByteReader& r) {
  const size_t at = r.pos();
  LANTERN_ASSIGN(const uint8_t kind, r.u8());
  if (kind != 0x00) return r.error("malformed element kind", at);
  return ValType::FuncRef;
}

Expected<void> read_func_indices(ByteReader& r, std::vector<uint32_t>& out) {
  return read_vector(r, out, [&](uint32_t& index) -> Expected<void> {
    LANTERN_ASSIGN(index, r.u32());
    return {};
  });
}

Expected<void> read_expr_list(DecodeContext& ctx, std::vector<ConstExpr>& out) {
  return read_vector(ctx.reader, out, [&](ConstExpr& expr) { return read_const_expr(ctx, expr); });
}

Expected<void> read_element(DecodeContext& ctx, ElementSegment& seg) {
  auto& r = ctx.reader;
  const size_t at = r.pos();
  LANTERN_ASSIGN(const uint32_t flags, r.u32());
  if (flags > 7) return r.error("malformed elements segment kind", at);
  seg.flags = static_cast<uint8_t>(flags);
  // Bit 0: passive/declarative; bit 1: explicit table (active) or declarative; bit 2: exprs.
  const bool active = (flags & 1) == 0;
  const bool explicit_table = active && (flags & 2);
  const bool uses_exprs = flags & 4;
  seg.mode = active ? SegmentMode::Active
                    : ((flags & 2) ? SegmentMode::Declarative : SegmentMode::Passive);
  if (explicit_table) {
    LANTERN_ASSIGN(seg.table_index, r.u32());
  }
  if (active) LANTERN_TRY(read_const_expr(ctx, seg.offset));
  // Forms 0 and 4 imply funcref; the others spell the element kind / reference type.
  if (flags != 0 && flags != 4) {
    if (uses_exprs) {
      LANTERN_ASSIGN(seg.elem_type, r.ref_type());
    } else {
      LANTERN_ASSIGN(seg.elem_type, read_elem_kind(r));
    }
  }
  if (uses_exprs) return read_expr_list(ctx, seg.exprs);
  return read_func_indices(r, seg.func_indices);
}

Expected<void> read_data(DecodeContext& ctx, DataSegment& seg) {
  auto& r = ctx.reader;
  const size_t at = r.pos();
  LANTERN_ASSIGN(const uint32_t flags, r.u32());
  if (flags > 2) return r.error("malformed data segment kind", at);
  seg.flags = static_cast<uint8_t>(flags);
  seg.mode = flags == 1 ? SegmentMode::Passive : SegmentMode::Active;
  if (flags == 2) {
    LANTERN_ASSIGN(seg.memory_index, r.u32());
  }
  if (flags != 1) LANTERN_TRY(read_const_expr(ctx, seg.offset));
  LANTERN_ASSIGN(const uint32_t size, r.len32());
  LANTERN_ASSIGN(const auto bytes, r.take(size));
  seg.bytes.assign(bytes.begin(), bytes.end());
  return {};
}

}  // namespace

Expected<void> read_const_expr(DecodeContext& ctx, ConstExpr& out) {
  auto& r = ctx.reader;
  const size_t start = r.pos();
  bool uses_data_count = false;  // not allowed in constants; the validator reports it
  LANTERN_ASSIGN(const size_t end, scan_expression(ctx, start, uses_data_count));
  out.bytes.assign(r.bytes().begin() + start, r.bytes().begin() + end);
  out.offset = r.offset(start);
  r.seek(end);
  return {};
}

Expected<void> decode_element_section(DecodeContext& ctx) {
  auto& r = ctx.reader;
  return read_vector(r, ctx.module.elements, [&](ElementSegment& seg) {
    seg.file_offset = r.offset(r.pos());
    return read_element(ctx, seg);
  });
}

Expected<void> decode_data_section(DecodeContext& ctx) {
  auto& r = ctx.reader;
  return read_vector(r, ctx.module.data, [&](DataSegment& seg) {
    seg.file_offset = r.offset(r.pos());
    return read_data(ctx, seg);
  });
}

}  // namespace lantern::wasm::detail
