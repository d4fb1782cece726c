// Module index-space helpers and the names of types, kinds and sections.
#include "lantern/wasm/module.h"

#include <fmt/format.h>

namespace lantern::wasm {

const char* to_string(ValType type) {
  switch (type) {
    case ValType::I32: return "i32";
    case ValType::I64: return "i64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::V128: return "v128";
    case ValType::FuncRef: return "funcref";
    case ValType::ExternRef: return "externref";
  }
  return "<invalid type>";
}

std::string to_string(const FuncType& type) {
  auto list = [](const std::vector<ValType>& types) {
    std::string out = "(";
    for (size_t i = 0; i < types.size(); ++i) {
      if (i) out += ", ";
      out += to_string(types[i]);
    }
    return out + ")";
  };
  return list(type.params) + " -> " + list(type.results);
}

const char* to_string(ExternKind kind) {
  switch (kind) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
  }
  return "<invalid kind>";
}

const char* section_name(SectionId id) {
  switch (id) {
    case SectionId::Custom: return "custom";
    case SectionId::Type: return "type";
    case SectionId::Import: return "import";
    case SectionId::Function: return "function";
    case SectionId::Table: return "table";
    case SectionId::Memory: return "memory";
    case SectionId::Global: return "global";
    case SectionId::Export: return "export";
    case SectionId::Start: return "start";
    case SectionId::Element: return "element";
    case SectionId::Code: return "code";
    case SectionId::Data: return "data";
    case SectionId::DataCount: return "datacount";
  }
  return "unknown";
}

void Module::count_imports() {
  num_imported_funcs = num_imported_tables = num_imported_memories = num_imported_globals = 0;
  for (const auto& import : imports) {
    switch (import.kind) {
      case ExternKind::Func: ++num_imported_funcs; break;
      case ExternKind::Table: ++num_imported_tables; break;
      case ExternKind::Memory: ++num_imported_memories; break;
      case ExternKind::Global: ++num_imported_globals; break;
    }
  }
}

namespace {

// The `index`-th import of `kind`; the caller guarantees it exists.
const Import& nth_import(const std::vector<Import>& imports, ExternKind kind, uint32_t index) {
  for (const auto& import : imports) {
    if (import.kind != kind) continue;
    if (index == 0) return import;
    --index;
  }
  static const Import kNone{};  // only reached when the caller broke the precondition
  return kNone;
}

}  // namespace

uint32_t Module::func_type_index(uint32_t index) const {
  if (index >= num_imported_funcs) return functions[index - num_imported_funcs].type_index;
  // Imports are usually few; when every import is a function (common) this is direct.
  if (imports.size() == num_imported_funcs) return imports[index].func_type;
  return nth_import(imports, ExternKind::Func, index).func_type;
}

TableType Module::table_type(uint32_t index) const {
  if (index >= num_imported_tables) return tables[index - num_imported_tables];
  return nth_import(imports, ExternKind::Table, index).table;
}

MemoryType Module::memory_type(uint32_t index) const {
  if (index >= num_imported_memories) return memories[index - num_imported_memories];
  return nth_import(imports, ExternKind::Memory, index).memory;
}

GlobalType Module::global_type(uint32_t index) const {
  if (index >= num_imported_globals) return globals[index - num_imported_globals].type;
  return nth_import(imports, ExternKind::Global, index).global;
}

std::string Module::function_name(uint32_t index) const {
  if (names) {
    auto it = names->function_names.find(index);
    if (it != names->function_names.end() && !it->second.empty()) return it->second;
  }
  for (const auto& item : exports)
    if (item.kind == ExternKind::Func && item.index == index) return item.name;
  if (index < num_imported_funcs) return nth_import(imports, ExternKind::Func, index).name;
  return fmt::format("func[{}]", index);
}

}  // namespace lantern::wasm
