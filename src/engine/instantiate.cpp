// Store::instantiate: import checking, allocation, segment initialisation and the start function,
// in the order the spec gives.
#include <algorithm>

#include "code.h"
#include "const_eval.h"
#include "lantern/engine/store.h"

namespace lantern::engine {

std::unique_ptr<MemInst> allocate_memory(const wasm::MemoryType& type, uint32_t limit_pages);

namespace {

// Import subtyping of limits: the provided object must be at least as large and at most as
// unbounded as the import asks.
bool limits_match(uint64_t actual_min, std::optional<uint32_t> actual_max,
                  const wasm::Limits& want) {
  if (actual_min < want.min) return false;
  if (want.max) {
    if (!actual_max || *actual_max > *want.max) return false;
  }
  return true;
}

Unexpected link_error(const wasm::Import& imp, const std::string& why) {
  return make_error(Phase::Link, why + ": " + imp.module + "." + imp.name);
}

Unexpected init_trap(TrapKind kind) { return make_error(Phase::Instantiate, trap_message(kind)); }

}  // namespace

Expected<Instance*> Store::instantiate(std::shared_ptr<const CompiledModule> compiled,
                                       std::span<const Extern> imports) {
  const wasm::Module& m = compiled->module;
  if (imports.size() != m.imports.size())
    return make_error(Phase::Link, "expected " + std::to_string(m.imports.size()) +
                                       " imports, got " + std::to_string(imports.size()));
  auto owned = std::make_unique<Instance>();
  Instance& inst = *owned;
  inst.module = compiled;
  inst.type_ids.reserve(m.types.size());
  for (const auto& t : m.types) inst.type_ids.push_back(intern_type(t));

  for (size_t i = 0; i < imports.size(); ++i) {
    const wasm::Import& imp = m.imports[i];
    const Extern& ext = imports[i];
    if (ext.kind != imp.kind) return link_error(imp, "incompatible import type");
    switch (imp.kind) {
      case wasm::ExternKind::Func:
        if (!ext.func || ext.func->type_id != inst.type_ids[imp.func_type])
          return link_error(imp, "incompatible import type");
        inst.funcs.push_back(ext.func);
        break;
      case wasm::ExternKind::Table:
        if (!ext.table || ext.table->type.elem != imp.table.elem ||
            !limits_match(ext.table->elems.size(), ext.table->type.limits.max, imp.table.limits))
          return link_error(imp, "incompatible import type");
        inst.tables.push_back(ext.table);
        break;
      case wasm::ExternKind::Memory:
        if (!ext.memory ||
            !limits_match(ext.memory->pages(), ext.memory->type.limits.max, imp.memory.limits))
          return link_error(imp, "incompatible import type");
        inst.memories.push_back(ext.memory);
        break;
      case wasm::ExternKind::Global:
        if (!ext.global || !(ext.global->type == imp.global))
          return link_error(imp, "incompatible import type");
        inst.globals.push_back(ext.global);
        break;
    }
  }

  // Functions first: global initialisers and element items may take their references.
  for (size_t i = 0; i < m.functions.size(); ++i) {
    auto f = std::make_unique<FuncInst>();
    f->type = m.types[m.functions[i].type_index];
    f->type_id = inst.type_ids[m.functions[i].type_index];
    f->instance = &inst;
    f->code = &compiled->functions[i];
    f->module_index = m.num_imported_funcs + static_cast<uint32_t>(i);
    f->debug_name = compiled->function_names[f->module_index];
    inst.funcs.push_back(f.get());
    funcs_.push_back(std::move(f));
  }
  for (const auto& t : m.tables) {
    // A hostile minimum (up to 2^32 - 1 entries) must be an error, not a huge allocation.
    if (t.limits.min > limits_.max_table_elems)
      return make_error(Phase::Instantiate, "table of " + std::to_string(t.limits.min) +
                                                " elements exceeds the limit of " +
                                                std::to_string(limits_.max_table_elems));
    inst.tables.push_back(add_table(t, 0));
  }
  for (const auto& mt : m.memories) {
    auto mem = add_memory(mt);
    if (!mem) return Unexpected{std::move(mem).error()};
    inst.memories.push_back(*mem);
  }
  for (const auto& g : m.globals) {
    auto value = eval_const(g.init, inst);
    if (!value) return Unexpected{std::move(value).error()};
    inst.globals.push_back(add_global(g.type, Value{g.type.type, *value}));
  }
  for (const auto& e : m.exports) {
    Extern ext;
    switch (e.kind) {
      case wasm::ExternKind::Func: ext = Extern::of(inst.funcs[e.index]); break;
      case wasm::ExternKind::Table: ext = Extern::of(inst.tables[e.index]); break;
      case wasm::ExternKind::Memory: ext = Extern::of(inst.memories[e.index]); break;
      case wasm::ExternKind::Global: ext = Extern::of(inst.globals[e.index]); break;
    }
    inst.exports.emplace(e.name, ext);
  }
  for (const auto& seg : m.elements) {
    std::vector<uint64_t> refs;
    refs.reserve(seg.size());
    if (seg.flags & 4) {
      for (const auto& expr : seg.exprs) {
        auto v = eval_const(expr, inst);
        if (!v) return Unexpected{std::move(v).error()};
        refs.push_back(*v);
      }
    } else {
      for (uint32_t idx : seg.func_indices)
        refs.push_back(reinterpret_cast<uint64_t>(inst.funcs[idx]));
    }
    inst.elem_segs.push_back(std::move(refs));
  }
  for (const auto& seg : m.data) inst.data_segs.emplace_back(seg.bytes);

  instances_.push_back(std::move(owned));

  // Active segments behave like table.init/memory.init followed by a drop; declarative ones are
  // dropped at once. A trap stops initialisation but keeps what was written.
  for (size_t i = 0; i < m.elements.size(); ++i) {
    const auto& seg = m.elements[i];
    if (seg.mode == wasm::SegmentMode::Active) {
      auto offset = eval_const(seg.offset, inst);
      if (!offset) return Unexpected{std::move(offset).error()};
      TableInst* table = inst.tables[seg.table_index];
      uint64_t d = static_cast<uint32_t>(*offset), n = inst.elem_segs[i].size();
      if (d + n > table->elems.size()) return init_trap(TrapKind::TableOutOfBounds);
      std::copy(inst.elem_segs[i].begin(), inst.elem_segs[i].end(), table->elems.begin() + d);
    }
    if (seg.mode != wasm::SegmentMode::Passive) inst.elem_segs[i].clear();
  }
  for (size_t i = 0; i < m.data.size(); ++i) {
    const auto& seg = m.data[i];
    if (seg.mode != wasm::SegmentMode::Active) continue;
    auto offset = eval_const(seg.offset, inst);
    if (!offset) return Unexpected{std::move(offset).error()};
    MemInst* mem = inst.memories[seg.memory_index];
    uint64_t d = static_cast<uint32_t>(*offset), n = seg.bytes.size();
    if (d + n > mem->size) return init_trap(TrapKind::MemoryOutOfBounds);
    if (n) std::copy(seg.bytes.begin(), seg.bytes.end(), mem->data + d);
    inst.data_segs[i] = {};
  }
  if (m.start) {
    auto r = invoke(*inst.funcs[*m.start], {});
    if (!r) {
      Error err{Phase::Instantiate, r.error().message};
      return Unexpected{std::move(err)};
    }
  }
  return &inst;
}

}  // namespace lantern::engine
