// Module-level validation: index spaces, limits, globals and constant expressions, exports,
// start function, element and data segments, the set of declared function references; then
// every function body through CodeValidator.
#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "lantern/wasm/validator.h"
#include "wasm/validator_internal.h"

namespace lantern::wasm {
namespace validation {

namespace {

Unexpected error_at(Site site, uint64_t offset, std::string message) {
  return make_error(Phase::Validate, std::move(message), offset, site.section, site.func_index);
}

// Limits valid within `bound`; `too_large` is the spec's wording for exceeding it.
Expected<void> check_limits(const Limits& limits, uint64_t bound, const char* too_large,
                            Site site) {
  if (limits.min > bound || (limits.max && *limits.max > bound))
    return error_at(site, Error::kNoOffset, too_large);
  if (limits.max && limits.min > *limits.max)
    return error_at(site, Error::kNoOffset,
                    fmt::format("size minimum must not be greater than maximum: {} > {}",
                                limits.min, *limits.max));
  return {};
}

constexpr const char* kMemoryTooLarge = "memory size must be at most 65536 pages (4GiB)";
constexpr const char* kTableTooLarge = "table size must be at most 2^32-1";

Expected<void> check_memory_type(const MemoryType& memory, Site site) {
  return check_limits(memory.limits, kMaxPages, kMemoryTooLarge, site);
}

Expected<void> check_table_type(const TableType& table, Site site) {
  if (!is_ref(table.elem))
    return error_at(site, Error::kNoOffset,
                    fmt::format("malformed reference type {}", type_name(table.elem)));
  return check_limits(table.limits, 0xFFFFFFFFull, kTableTooLarge, site);
}

Expected<void> check_type_index(const Module& module, uint32_t index, Site site,
                                uint64_t offset = Error::kNoOffset) {
  if (index >= module.types.size())
    return error_at(site, offset,
                    fmt::format("unknown type {}: the module has {} type(s)", index,
                                module.types.size()));
  return {};
}

// Builds the index spaces of C from imports and definitions, checking each entry's own type.
Expected<void> build_context(const Module& module, Context& context) {
  context.module = &module;
  for (size_t i = 0; i < module.imports.size(); ++i) {
    const Import& import = module.imports[i];
    Site site{"import"};
    Expected<void> checked;
    switch (import.kind) {
      case ExternKind::Func:
        checked = check_type_index(module, import.func_type, site);
        context.func_types.push_back(import.func_type);
        break;
      case ExternKind::Table:
        checked = check_table_type(import.table, site);
        context.tables.push_back(import.table);
        break;
      case ExternKind::Memory:
        checked = check_memory_type(import.memory, site);
        ++context.num_memories;
        break;
      case ExternKind::Global: context.globals.push_back(import.global); break;
    }
    if (!checked) {
      // Imports carry no file offset in the module model; name the import instead.
      Error error = std::move(checked).error();
      error.message += fmt::format(" (import {} \"{}\" \"{}\")", i, import.module, import.name);
      return Unexpected{std::move(error)};
    }
  }
  context.num_imported_globals = static_cast<uint32_t>(context.globals.size());

  for (const Function& function : module.functions) {
    LANTERN_TRY(check_type_index(module, function.type_index, Site{"function"},
                                 function.entry_offset));
    context.func_types.push_back(function.type_index);
  }
  for (const TableType& table : module.tables) {
    LANTERN_TRY(check_table_type(table, Site{"table"}));
    context.tables.push_back(table);
  }
  for (const MemoryType& memory : module.memories) {
    LANTERN_TRY(check_memory_type(memory, Site{"memory"}));
    ++context.num_memories;
  }
  if (context.num_memories > 1)
    return error_at(Site{"memory"}, Error::kNoOffset,
                    fmt::format("multiple memories: Wasm 2.0 allows one, the module has {}",
                                context.num_memories));
  for (const Global& global : module.globals) context.globals.push_back(global.type);
  context.declared_funcs.assign(context.func_types.size(), 0);
  return {};
}

Expected<void> check_index(uint32_t index, size_t count, const char* what, Site site,
                           uint64_t offset = Error::kNoOffset) {
  if (index >= count)
    return error_at(site, offset,
                    fmt::format("unknown {} {}: the module has {} {}(s)", what, index, count,
                                what));
  return {};
}

// Checks constant expressions of globals and segments and records the functions they name
// (those, with exported functions, make up C.refs).
Expected<void> check_globals(Context& context) {
  for (const Global& global : context.module->globals)
    LANTERN_TRY(validate_const_expr(context, global.init, global.type.type, Site{"global"}));
  return {};
}

Expected<void> check_exports(Context& context) {
  const Module& module = *context.module;
  Site site{"export"};
  std::vector<std::string_view> names;
  names.reserve(module.exports.size());
  for (const Export& exported : module.exports) {
    names.push_back(exported.name);
    Expected<void> checked;
    switch (exported.kind) {
      case ExternKind::Func:
        checked = check_index(exported.index, context.func_types.size(), "function", site);
        if (checked) context.declared_funcs[exported.index] = 1;
        break;
      case ExternKind::Table:
        checked = check_index(exported.index, context.tables.size(), "table", site);
        break;
      case ExternKind::Memory:
        checked = check_index(exported.index, context.num_memories, "memory", site);
        break;
      case ExternKind::Global:
        checked = check_index(exported.index, context.globals.size(), "global", site);
        break;
    }
    if (!checked) {
      Error error = std::move(checked).error();
      error.message += fmt::format(" (export \"{}\")", exported.name);
      return Unexpected{std::move(error)};
    }
  }
  std::sort(names.begin(), names.end());
  auto duplicate = std::adjacent_find(names.begin(), names.end());
  if (duplicate != names.end())
    return error_at(site, Error::kNoOffset,
                    fmt::format("duplicate export name \"{}\"", std::string(*duplicate)));
  return {};
}

Expected<void> check_start(const Context& context) {
  const Module& module = *context.module;
  if (!module.start) return {};
  Site site{"start"};
  LANTERN_TRY(check_index(*module.start, context.func_types.size(), "function", site));
  const FuncType& type = module.types[context.func_types[*module.start]];
  if (!type.params.empty() || !type.results.empty())
    return error_at(site, Error::kNoOffset,
                    fmt::format("start function {} must have type [] -> [], it has {} param(s) "
                                "and {} result(s)",
                                *module.start, type.params.size(), type.results.size()));
  return {};
}

Expected<void> check_elements(Context& context) {
  Site site{"elem"};
  for (const ElementSegment& segment : context.module->elements) {
    if (!is_ref(segment.elem_type))
      return error_at(site, segment.file_offset, "malformed reference type");
    if (segment.mode == SegmentMode::Active) {
      LANTERN_TRY(check_index(segment.table_index, context.tables.size(), "table", site,
                              segment.file_offset));
      LANTERN_TRY(validate_const_expr(context, segment.offset, ValType::I32, site));
      ValType table_elem = context.tables[segment.table_index].elem;
      if (table_elem != segment.elem_type)
        return error_at(site, segment.file_offset,
                        fmt::format("type mismatch: element segment of {} for a table of {}",
                                    type_name(segment.elem_type), type_name(table_elem)));
    }
    if (segment.flags & 4) {
      for (const ConstExpr& expr : segment.exprs)
        LANTERN_TRY(validate_const_expr(context, expr, segment.elem_type, site));
    } else {
      if (segment.elem_type != ValType::FuncRef && !segment.func_indices.empty())
        return error_at(site, segment.file_offset,
                        "type mismatch: function indices in a non-funcref segment");
      for (uint32_t index : segment.func_indices) {
        LANTERN_TRY(check_index(index, context.func_types.size(), "function", site,
                                segment.file_offset));
        context.declared_funcs[index] = 1;
      }
    }
  }
  return {};
}

Expected<void> check_data(Context& context) {
  Site site{"data"};
  for (const DataSegment& segment : context.module->data) {
    if (segment.mode != SegmentMode::Active) continue;
    LANTERN_TRY(check_index(segment.memory_index, context.num_memories, "memory", site,
                            segment.file_offset));
    LANTERN_TRY(validate_const_expr(context, segment.offset, ValType::I32, site));
  }
  return {};
}

}  // namespace

Expected<void> validate_const_expr(Context& context, const ConstExpr& expr,
                                   ValType expected, Site site) {
  InstrReader reader(expr.bytes, expr.offset);
  uint32_t depth = 0;         // values on the stack
  ValType top = kUnknown;     // type of the topmost value
  auto fail = [&](uint64_t offset, std::string message) {
    return error_at(site, offset, std::move(message));
  };
  while (true) {
    if (reader.at_end()) return fail(reader.offset(), "unexpected end of constant expression");
    Expected<Instr> next = reader.next();
    if (!next) {
      Error error = std::move(next).error();
      if (error.section.empty()) error.section = site.section;
      return Unexpected{std::move(error)};
    }
    const Instr& instr = *next;
    ValType pushed;
    switch (instr.op) {
      case Opcode::I32Const: pushed = ValType::I32; break;
      case Opcode::I64Const: pushed = ValType::I64; break;
      case Opcode::F32Const: pushed = ValType::F32; break;
      case Opcode::F64Const: pushed = ValType::F64; break;
      case Opcode::RefNull: pushed = instr.type; break;
      case Opcode::RefFunc:
        if (instr.a >= context.func_types.size())
          return fail(instr.offset, fmt::format("unknown function {}: the module has {}", instr.a,
                                                context.func_types.size()));
        // C.refs includes every function a constant expression names.
        context.declared_funcs[instr.a] = 1;
        pushed = ValType::FuncRef;
        break;
      case Opcode::GlobalGet:
        if (instr.a >= context.num_imported_globals)
          return fail(instr.offset,
                      fmt::format("unknown global {}: constant expressions may read only the {} "
                                  "imported global(s)",
                                  instr.a, context.num_imported_globals));
        if (context.globals[instr.a].is_mutable)
          return fail(instr.offset,
                      fmt::format("constant expression required: global {} is mutable", instr.a));
        pushed = context.globals[instr.a].type;
        break;
      case Opcode::End:
        if (depth != 1 || top != expected)
          return fail(instr.offset,
                      depth == 1
                          ? fmt::format("type mismatch: expected {}, got {}", type_name(expected),
                                        type_name(top))
                          : fmt::format("type mismatch: constant expression leaves {} value(s), "
                                        "expected one {}",
                                        depth, type_name(expected)));
        if (!reader.at_end())
          return fail(reader.offset(), "constant expression required: code after end");
        return {};
      default:
        return fail(instr.offset, fmt::format("constant expression required: {} is not constant",
                                              info(instr.op).text));
    }
    ++depth;
    top = pushed;
  }
}

}  // namespace validation

Expected<void> validate_module(const Module& module) {
  using namespace validation;
  Context context;
  LANTERN_TRY(build_context(module, context));
  LANTERN_TRY(check_globals(context));
  LANTERN_TRY(check_exports(context));
  LANTERN_TRY(check_start(context));
  LANTERN_TRY(check_elements(context));
  LANTERN_TRY(check_data(context));

  CodeValidator code(context);
  for (uint32_t i = 0; i < module.functions.size(); ++i) LANTERN_TRY(code.validate_function(i));
  return {};
}

}  // namespace lantern::wasm
