// Module -> bytes. Sections are written in Module::section_order (sections that gained content
// are inserted at their canonical place), custom sections at their recorded positions, segments
// in their recorded flag forms and function bodies from their stored bytes, so an unchanged
// module decoded from canonical bytes comes back byte for byte.
#include "lantern/wasm/writer.h"

#include <algorithm>

#include "lantern/wasm/leb128.h"

namespace lantern::wasm {
namespace {

using Bytes = std::vector<uint8_t>;

// Canonical position of each non-custom section (datacount sits before code).
constexpr int kSectionRank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
constexpr SectionId kCanonicalOrder[] = {
    SectionId::Type,   SectionId::Import, SectionId::Function, SectionId::Table,
    SectionId::Memory, SectionId::Global, SectionId::Export,   SectionId::Start,
    SectionId::Element, SectionId::DataCount, SectionId::Code, SectionId::Data};

int rank(SectionId id) { return kSectionRank[static_cast<uint8_t>(id)]; }

void put(Bytes& out, uint8_t byte) { out.push_back(byte); }
void put_u32(Bytes& out, uint32_t value) { write_uleb(out, value); }
void put_type(Bytes& out, ValType type) { out.push_back(static_cast<uint8_t>(type)); }
void put_bytes(Bytes& out, const std::vector<uint8_t>& bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}
void put_name(Bytes& out, const std::string& name) {
  put_u32(out, static_cast<uint32_t>(name.size()));
  out.insert(out.end(), name.begin(), name.end());
}
void put_limits(Bytes& out, const Limits& limits) {
  put(out, limits.max ? 1 : 0);
  put_u32(out, limits.min);
  if (limits.max) put_u32(out, *limits.max);
}
void put_global_type(Bytes& out, const GlobalType& type) {
  put_type(out, type.type);
  put(out, type.is_mutable ? 1 : 0);
}

bool has_content(const Module& m, SectionId id) {
  switch (id) {
    case SectionId::Custom: return false;
    case SectionId::Type: return !m.types.empty();
    case SectionId::Import: return !m.imports.empty();
    case SectionId::Function: return !m.functions.empty();
    case SectionId::Table: return !m.tables.empty();
    case SectionId::Memory: return !m.memories.empty();
    case SectionId::Global: return !m.globals.empty();
    case SectionId::Export: return !m.exports.empty();
    case SectionId::Start: return m.start.has_value();
    case SectionId::Element: return !m.elements.empty();
    case SectionId::Code: return !m.functions.empty();
    case SectionId::Data: return !m.data.empty();
    case SectionId::DataCount: return m.data_count.has_value();
  }
  return false;
}

// Flag form for an element segment: the recorded one when it still fits the segment.
uint8_t element_flags(const ElementSegment& seg) {
  const bool uses_exprs = (seg.flags & 4) || (seg.func_indices.empty() && !seg.exprs.empty());
  uint8_t flags = uses_exprs ? 4 : 0;
  switch (seg.mode) {
    case SegmentMode::Passive: return flags | 1;
    case SegmentMode::Declarative: return flags | 3;
    case SegmentMode::Active:
      // Forms 0/4 imply table 0 and funcref; keep form 2/6 when the file used it.
      if (seg.table_index != 0 || seg.elem_type != ValType::FuncRef || (seg.flags & 3) == 2)
        flags |= 2;
      return flags;
  }
  return flags;
}

uint8_t data_flags(const DataSegment& seg) {
  if (seg.mode != SegmentMode::Active) return 1;
  return (seg.memory_index != 0 || seg.flags == 2) ? 2 : 0;
}

void write_element(Bytes& out, const ElementSegment& seg) {
  const uint8_t flags = element_flags(seg);
  put_u32(out, flags);
  if ((flags & 3) == 2) put_u32(out, seg.table_index);
  if ((flags & 1) == 0) put_bytes(out, seg.offset.bytes);
  if (flags != 0 && flags != 4) {
    if (flags & 4)
      put_type(out, seg.elem_type);
    else
      put(out, 0x00);  // element kind funcref
  }
  if (flags & 4) {
    put_u32(out, static_cast<uint32_t>(seg.exprs.size()));
    for (const auto& expr : seg.exprs) put_bytes(out, expr.bytes);
  } else {
    put_u32(out, static_cast<uint32_t>(seg.func_indices.size()));
    for (uint32_t index : seg.func_indices) put_u32(out, index);
  }
}

void write_data(Bytes& out, const DataSegment& seg) {
  const uint8_t flags = data_flags(seg);
  put_u32(out, flags);
  if (flags == 2) put_u32(out, seg.memory_index);
  if (flags != 1) put_bytes(out, seg.offset.bytes);
  put_u32(out, static_cast<uint32_t>(seg.bytes.size()));
  put_bytes(out, seg.bytes);
}

void write_function_body(Bytes& out, const Function& function, Bytes& scratch) {
  scratch.clear();
  put_u32(scratch, static_cast<uint32_t>(function.locals.size()));
  for (const auto& run : function.locals) {
    put_u32(scratch, run.count);
    put_type(scratch, run.type);
  }
  put_u32(out, static_cast<uint32_t>(scratch.size() + function.body.size()));
  put_bytes(out, scratch);
  put_bytes(out, function.body);
}

template <typename T, typename F>
void put_vec(Bytes& out, const std::vector<T>& items, F&& write_item) {
  put_u32(out, static_cast<uint32_t>(items.size()));
  for (const auto& item : items) write_item(item);
}

void write_section_content(Bytes& out, const Module& m, SectionId id) {
  switch (id) {
    case SectionId::Custom:
      break;
    case SectionId::Type:
      put_vec(out, m.types, [&](const FuncType& type) {
        put(out, 0x60);
        put_vec(out, type.params, [&](ValType t) { put_type(out, t); });
        put_vec(out, type.results, [&](ValType t) { put_type(out, t); });
      });
      break;
    case SectionId::Import:
      put_vec(out, m.imports, [&](const Import& import) {
        put_name(out, import.module);
        put_name(out, import.name);
        put(out, static_cast<uint8_t>(import.kind));
        switch (import.kind) {
          case ExternKind::Func: put_u32(out, import.func_type); break;
          case ExternKind::Table:
            put_type(out, import.table.elem);
            put_limits(out, import.table.limits);
            break;
          case ExternKind::Memory: put_limits(out, import.memory.limits); break;
          case ExternKind::Global: put_global_type(out, import.global); break;
        }
      });
      break;
    case SectionId::Function:
      put_vec(out, m.functions, [&](const Function& f) { put_u32(out, f.type_index); });
      break;
    case SectionId::Table:
      put_vec(out, m.tables, [&](const TableType& table) {
        put_type(out, table.elem);
        put_limits(out, table.limits);
      });
      break;
    case SectionId::Memory:
      put_vec(out, m.memories, [&](const MemoryType& memory) { put_limits(out, memory.limits); });
      break;
    case SectionId::Global:
      put_vec(out, m.globals, [&](const Global& global) {
        put_global_type(out, global.type);
        put_bytes(out, global.init.bytes);
      });
      break;
    case SectionId::Export:
      put_vec(out, m.exports, [&](const Export& item) {
        put_name(out, item.name);
        put(out, static_cast<uint8_t>(item.kind));
        put_u32(out, item.index);
      });
      break;
    case SectionId::Start:
      put_u32(out, m.start.value_or(0));
      break;
    case SectionId::Element:
      put_vec(out, m.elements, [&](const ElementSegment& seg) { write_element(out, seg); });
      break;
    case SectionId::Code: {
      Bytes scratch;
      put_vec(out, m.functions, [&](const Function& f) { write_function_body(out, f, scratch); });
      break;
    }
    case SectionId::Data:
      put_vec(out, m.data, [&](const DataSegment& seg) { write_data(out, seg); });
      break;
    case SectionId::DataCount:
      put_u32(out, m.data_count.value_or(0));
      break;
  }
}

void write_section(Bytes& out, SectionId id, const Bytes& content) {
  put(out, static_cast<uint8_t>(id));
  put_u32(out, static_cast<uint32_t>(content.size()));
  put_bytes(out, content);
}

void write_custom(Bytes& out, const CustomSection& custom, Bytes& scratch) {
  scratch.clear();
  put_name(scratch, custom.name);
  put_bytes(scratch, custom.payload);
  write_section(out, SectionId::Custom, scratch);
}

// One planned non-custom section: its id and its index in Module::section_order (or -1 when
// the writer adds it because the module gained content).
struct PlannedSection {
  SectionId id;
  int original_index;
};

std::vector<PlannedSection> plan_sections(const Module& m) {
  std::vector<PlannedSection> plan;
  for (size_t i = 0; i < m.section_order.size(); ++i) {
    const SectionId id = m.section_order[i];
    // Start and datacount cannot be written empty; drop them when their value is gone.
    if ((id == SectionId::Start || id == SectionId::DataCount) && !has_content(m, id)) continue;
    plan.push_back({id, static_cast<int>(i)});
  }
  for (SectionId id : kCanonicalOrder) {
    if (!has_content(m, id)) continue;
    const bool present = std::any_of(plan.begin(), plan.end(),
                                     [&](const PlannedSection& p) { return p.id == id; });
    if (present) continue;
    auto pos = std::find_if(plan.begin(), plan.end(),
                            [&](const PlannedSection& p) { return rank(p.id) > rank(id); });
    plan.insert(pos, {id, -1});
  }
  return plan;
}

}  // namespace

std::vector<uint8_t> write_module(const Module& module) {
  Bytes out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  Bytes content;
  // Custom sections by position; equal positions keep their order in Module::customs.
  std::vector<const CustomSection*> customs;
  for (const auto& custom : module.customs) customs.push_back(&custom);
  std::sort(customs.begin(), customs.end(), [](const auto* a, const auto* b) {
    return a->after_sections != b->after_sections ? a->after_sections < b->after_sections : a < b;
  });
  size_t next_custom = 0;
  auto flush_customs = [&](uint32_t before_section) {
    while (next_custom < customs.size() && customs[next_custom]->after_sections <= before_section)
      write_custom(out, *customs[next_custom++], content);
  };
  // after_sections counts the module's original sections; a module built by hand has none, so
  // there it counts the sections written.
  const bool built_by_hand = module.section_order.empty();
  const auto plan = plan_sections(module);
  for (size_t i = 0; i < plan.size(); ++i) {
    if (plan[i].original_index >= 0)
      flush_customs(static_cast<uint32_t>(plan[i].original_index));
    else if (built_by_hand)
      flush_customs(static_cast<uint32_t>(i));
    content.clear();
    write_section_content(content, module, plan[i].id);
    write_section(out, plan[i].id, content);
  }
  while (next_custom < customs.size()) write_custom(out, *customs[next_custom++], content);
  return out;
}

}  // namespace lantern::wasm
