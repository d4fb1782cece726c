// The decoded module: what the decoder produces, the validator checks, the writer encodes and the
// engine lowers. Function bodies and constant expressions keep their raw instruction bytes; the
// instruction reader (instr_reader.h) walks them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lantern/wasm/types.h"

namespace lantern::wasm {

enum class SectionId : uint8_t {
  Custom = 0,
  Type = 1,
  Import = 2,
  Function = 3,
  Table = 4,
  Memory = 5,
  Global = 6,
  Export = 7,
  Start = 8,
  Element = 9,
  Code = 10,
  Data = 11,
  DataCount = 12,
};
const char* section_name(SectionId id);

// A constant expression: instruction bytes including the final `end` (0x0B).
struct ConstExpr {
  std::vector<uint8_t> bytes;
  uint64_t offset = 0;  // file offset of the first instruction byte
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t func_type = 0;  // kind == Func
  TableType table;         // kind == Table
  MemoryType memory;       // kind == Memory
  GlobalType global;       // kind == Global
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

struct LocalRun {
  uint32_t count = 0;
  ValType type = ValType::I32;
};

// A defined function: its type (from the function section) and its body (from the code section).
struct Function {
  uint32_t type_index = 0;
  std::vector<LocalRun> locals;  // as encoded, runs of (count, type)
  std::vector<uint8_t> body;     // instruction bytes including the final `end`
  uint64_t body_offset = 0;      // file offset of body[0]
  uint64_t entry_offset = 0;     // file offset of the code entry's size field
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElementSegment {
  uint8_t flags = 0;  // the binary form 0..7, kept so the writer reproduces it
  SegmentMode mode = SegmentMode::Active;
  uint32_t table_index = 0;
  ConstExpr offset;  // active segments only
  ValType elem_type = ValType::FuncRef;
  // Exactly one of these is used: flags bit 2 clear -> func_indices, set -> exprs.
  std::vector<uint32_t> func_indices;
  std::vector<ConstExpr> exprs;
  uint64_t file_offset = 0;

  size_t size() const { return (flags & 4) ? exprs.size() : func_indices.size(); }
};

struct DataSegment {
  uint8_t flags = 0;  // 0 active mem 0, 1 passive, 2 active with explicit memory index
  SegmentMode mode = SegmentMode::Active;
  uint32_t memory_index = 0;
  ConstExpr offset;  // active segments only
  std::vector<uint8_t> bytes;
  uint64_t file_offset = 0;
};

struct CustomSection {
  std::string name;
  std::vector<uint8_t> payload;  // bytes after the name
  // Position: number of non-custom sections that come before it in the file.
  uint32_t after_sections = 0;
};

// Contents of the standard `name` custom section (subsections 0, 1 and 2).
struct NameSection {
  std::optional<std::string> module_name;
  std::map<uint32_t, std::string> function_names;
  std::map<uint32_t, std::map<uint32_t, std::string>> local_names;
};

struct Module {
  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<Function> functions;  // defined functions only
  std::vector<TableType> tables;    // defined tables only
  std::vector<MemoryType> memories; // defined memories only
  std::vector<Global> globals;      // defined globals only
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElementSegment> elements;
  std::vector<DataSegment> data;
  std::optional<uint32_t> data_count;
  std::vector<CustomSection> customs;
  std::optional<NameSection> names;  // decoded from the `name` custom section when well formed

  // Non-custom section ids in file order (lets the writer reproduce empty/present sections).
  std::vector<SectionId> section_order;

  // Counts of imports per kind (cached by the decoder; recompute with count_imports()).
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  void count_imports();

  // Index-space helpers (imports first, then definitions).
  uint32_t total_funcs() const { return num_imported_funcs + uint32_t(functions.size()); }
  uint32_t total_tables() const { return num_imported_tables + uint32_t(tables.size()); }
  uint32_t total_memories() const { return num_imported_memories + uint32_t(memories.size()); }
  uint32_t total_globals() const { return num_imported_globals + uint32_t(globals.size()); }
  // Type of function `index` in the function index space; index must be < total_funcs().
  uint32_t func_type_index(uint32_t index) const;
  TableType table_type(uint32_t index) const;
  MemoryType memory_type(uint32_t index) const;
  GlobalType global_type(uint32_t index) const;

  // Debug name of a function: name section, else export/import name, else "func[N]".
  std::string function_name(uint32_t index) const;
};

}  // namespace lantern::wasm
