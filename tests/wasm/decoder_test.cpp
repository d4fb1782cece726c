// Decoder tests: every section's contents, the name section, the instruction reader's
// immediates, malformed modules (spec wording + error position) and module helpers.
#include "lantern/wasm/decoder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "lantern/wasm/instr_reader.h"
#include "lantern/wasm/module.h"
#include "support/test_support.h"

namespace lantern::wasm {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes header() { return {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00}; }

// Appends a section with a one-byte size (tests keep sections small).
void add_section(Bytes& module, uint8_t id, const Bytes& content) {
  module.push_back(id);
  module.push_back(static_cast<uint8_t>(content.size()));
  module.insert(module.end(), content.begin(), content.end());
}

// type () -> (), one function with the given body (locals + code), as raw bytes.
Bytes module_with_body(const Bytes& body) {
  Bytes m = header();
  add_section(m, 1, {0x01, 0x60, 0x00, 0x00});
  add_section(m, 3, {0x01, 0x00});
  Bytes code = {0x01, static_cast<uint8_t>(body.size())};
  code.insert(code.end(), body.begin(), body.end());
  add_section(m, 10, code);
  return m;
}

Error decode_error(const Bytes& bytes) {
  auto result = decode_module(bytes);
  EXPECT_FALSE(result.has_value());
  return result ? Error{} : result.error();
}

void expect_malformed(const Bytes& bytes, const std::string& message) {
  auto error = decode_error(bytes);
  EXPECT_EQ(error.phase, Phase::Decode);
  EXPECT_EQ(error.message.rfind(message, 0), 0u)
      << "want '" << message << "', got '" << error.to_string() << "'";
}

TEST(Decoder, DecodesEverySection) {
  auto bytes = testing::wat_to_wasm(R"(
    (module
      (type $t0 (func (param i32 i64) (result f32)))
      (import "env" "f" (func $imp (type $t0)))
      (import "env" "t" (table 2 10 funcref))
      (import "env" "g" (global $ig (mut i32)))
      (table $tab 3 externref)
      (memory 2 5)
      (global $g f64 (f64.const 1.5))
      (func $f (type $t0) (local i32 i32 f64)
        i32.const 0 i32.const 1 i32.const 2 memory.init 0 data.drop 0 f32.const 2)
      (func $start)
      (export "f" (func $f))
      (export "mem" (memory 0))
      (start $start)
      (elem (i32.const 0) func $f)
      (data (i32.const 8) "hello")
      (data "passive"))
  )");
  auto module = decode_module(bytes);
  ASSERT_TRUE(module) << module.error().to_string();
  const Module& m = *module;
  ASSERT_EQ(m.types.size(), 2u);
  EXPECT_EQ(to_string(m.types[0]), "(i32, i64) -> (f32)");
  ASSERT_EQ(m.imports.size(), 3u);
  EXPECT_EQ(m.num_imported_funcs, 1u);
  EXPECT_EQ(m.num_imported_tables, 1u);
  EXPECT_EQ(m.num_imported_memories, 0u);
  EXPECT_EQ(m.num_imported_globals, 1u);
  EXPECT_EQ(m.imports[1].table.limits.max, 10u);
  EXPECT_TRUE(m.imports[2].global.is_mutable);
  ASSERT_EQ(m.tables.size(), 1u);
  EXPECT_EQ(m.tables[0].elem, ValType::ExternRef);
  ASSERT_EQ(m.memories.size(), 1u);
  EXPECT_EQ(m.memories[0].limits.min, 2u);
  EXPECT_EQ(m.memories[0].limits.max, 5u);
  ASSERT_EQ(m.globals.size(), 1u);
  EXPECT_EQ(m.globals[0].type.type, ValType::F64);
  EXPECT_EQ(m.globals[0].init.bytes.size(), 10u);  // f64.const + 8 bytes + end
  ASSERT_EQ(m.functions.size(), 2u);
  ASSERT_EQ(m.functions[0].locals.size(), 2u);
  EXPECT_EQ(m.functions[0].locals[0].count, 2u);
  EXPECT_EQ(m.functions[0].locals[1].type, ValType::F64);
  EXPECT_EQ(m.functions[0].body.back(), 0x0B);
  EXPECT_EQ(bytes[m.functions[0].body_offset], 0x41);  // i32.const
  EXPECT_EQ(m.exports.size(), 2u);
  EXPECT_EQ(m.start, 2u);
  ASSERT_EQ(m.elements.size(), 1u);
  EXPECT_EQ(m.elements[0].func_indices, std::vector<uint32_t>{1});
  ASSERT_EQ(m.data.size(), 2u);
  EXPECT_EQ(std::string(m.data[0].bytes.begin(), m.data[0].bytes.end()), "hello");
  EXPECT_EQ(m.data[1].mode, SegmentMode::Passive);
  EXPECT_EQ(m.data_count, 2u);
  EXPECT_EQ(m.total_funcs(), 3u);
  EXPECT_EQ(m.func_type_index(0), 0u);
  EXPECT_EQ(m.func_type_index(1), 0u);
  EXPECT_EQ(m.func_type_index(2), 1u);
  EXPECT_EQ(m.table_type(1).elem, ValType::ExternRef);
  EXPECT_EQ(m.memory_type(0).limits.min, 2u);
  EXPECT_EQ(m.global_type(1).type, ValType::F64);
  const std::vector<SectionId> order = {
      SectionId::Type,   SectionId::Import, SectionId::Function, SectionId::Table,
      SectionId::Memory, SectionId::Global, SectionId::Export,   SectionId::Start,
      SectionId::Element, SectionId::DataCount, SectionId::Code, SectionId::Data};
  EXPECT_EQ(m.section_order, order);
}

TEST(Decoder, DecodesAllElementAndDataForms) {
  auto bytes = testing::wat_to_wasm(R"(
    (module
      (table $t0 4 funcref)
      (table $t1 4 funcref)
      (table $t2 4 externref)
      (memory $m0 1)
      (func $f)
      (elem (i32.const 0) func $f)                                 ;; 0
      (elem func $f)                                               ;; 1
      (elem (table $t1) (i32.const 1) func $f)                     ;; 2
      (elem declare func $f)                                       ;; 3
      (elem (i32.const 2) funcref (ref.null func))                 ;; 4
      (elem funcref (ref.null func) (ref.func $f))                 ;; 5
      (elem (table $t2) (i32.const 0) externref (ref.null extern)) ;; 6
      (elem declare funcref (ref.null func))                       ;; 7
      (data (i32.const 0) "a")                                     ;; 0
      (data "b")                                                   ;; 1
      (data (memory $m0) (i32.const 0) "c"))
  )");
  auto module = decode_module(bytes);
  ASSERT_TRUE(module) << module.error().to_string();
  ASSERT_EQ(module->elements.size(), 8u);
  for (size_t form = 0; form < 8; ++form) EXPECT_EQ(module->elements[form].flags, form);
  const auto& e = module->elements;
  EXPECT_EQ(e[1].mode, SegmentMode::Passive);
  EXPECT_EQ(e[3].mode, SegmentMode::Declarative);
  EXPECT_EQ(e[5].exprs.size(), 2u);
  EXPECT_EQ(e[5].size(), 2u);
  EXPECT_EQ(e[2].table_index, 1u);
  EXPECT_EQ(e[6].table_index, 2u);
  EXPECT_EQ(e[6].elem_type, ValType::ExternRef);
  EXPECT_EQ(e[6].offset.bytes, (Bytes{0x41, 0x00, 0x0B}));
  ASSERT_EQ(module->data.size(), 3u);
  EXPECT_EQ(module->data[0].flags, 0);
  EXPECT_EQ(module->data[1].flags, 1);

  // wabt 1.0.32 has no multi-memory, so data form 2 (explicit memory index) is built by hand.
  Bytes m = header();
  add_section(m, 5, {0x01, 0x00, 0x01});
  add_section(m, 11, {0x01, 0x02, 0x00, 0x41, 0x04, 0x0B, 0x01, 'c'});
  auto explicit_memory = decode_module(m);
  ASSERT_TRUE(explicit_memory) << explicit_memory.error().to_string();
  const auto& seg = explicit_memory->data[0];
  EXPECT_EQ(seg.flags, 2);
  EXPECT_EQ(seg.mode, SegmentMode::Active);
  EXPECT_EQ(seg.memory_index, 0u);
  EXPECT_EQ(seg.offset.bytes, (Bytes{0x41, 0x04, 0x0B}));
  EXPECT_EQ(seg.bytes, Bytes{'c'});
}

TEST(Decoder, DecodesNameSection) {
  Bytes m = header();
  add_section(m, 1, {0x01, 0x60, 0x01, 0x7F, 0x00});
  add_section(m, 3, {0x01, 0x00});
  add_section(m, 10, {0x01, 0x04, 0x01, 0x01, 0x7F, 0x0B});
  Bytes names = {0x04, 'n', 'a', 'm', 'e',
                 0x00, 0x04, 0x03, 'm', 'o', 'd',                  // module name
                 0x01, 0x06, 0x01, 0x00, 0x03, 'r', 'u', 'n',      // function 0 = run
                 0x02, 0x08, 0x01, 0x00, 0x01, 0x01, 0x03, 'a', 'c', 'c'};  // local 1 = acc
  add_section(m, 0, names);
  auto module = decode_module(m);
  ASSERT_TRUE(module) << module.error().to_string();
  ASSERT_TRUE(module->names.has_value());
  EXPECT_EQ(module->names->module_name, "mod");
  EXPECT_EQ(module->names->function_names.at(0), "run");
  EXPECT_EQ(module->names->local_names.at(0).at(1), "acc");
  EXPECT_EQ(module->function_name(0), "run");
  ASSERT_EQ(module->customs.size(), 1u);
  EXPECT_EQ(module->customs[0].name, "name");
  EXPECT_EQ(module->customs[0].after_sections, 3u);
}

TEST(Decoder, CustomSectionsCanBeSkippedKeepingNames) {
  Bytes m = header();
  add_section(m, 1, {0x01, 0x60, 0x00, 0x00});
  add_section(m, 3, {0x01, 0x00});
  add_section(m, 10, {0x01, 0x02, 0x00, 0x0B});
  add_section(m, 0, {0x04, 'n', 'a', 'm', 'e', 0x01, 0x06, 0x01, 0x00, 0x03, 'r', 'u', 'n'});
  add_section(m, 0, {0x05, 'd', 'e', 'b', 'u', 'g', 0xAA, 0xBB});
  DecodeOptions options;
  options.keep_custom_sections = false;
  auto module = decode_module(m, options);
  ASSERT_TRUE(module) << module.error().to_string();
  EXPECT_TRUE(module->customs.empty());
  EXPECT_EQ(module->function_name(0), "run");
  // Still checked: a custom section whose name runs past its end is malformed either way.
  Bytes bad = header();
  add_section(bad, 0, {0x09, 'x'});
  EXPECT_FALSE(decode_module(bad, options));
  ASSERT_TRUE(decode_module(m));
  EXPECT_EQ(decode_module(m)->customs.size(), 2u);
}

TEST(Decoder, MalformedNameSectionIsIgnored) {
  Bytes m = header();
  add_section(m, 1, {0x01, 0x60, 0x00, 0x00});
  add_section(m, 3, {0x01, 0x00});
  add_section(m, 10, {0x01, 0x02, 0x00, 0x0B});
  // Function-names subsection claims more bytes than it has, with an invalid UTF-8 name.
  add_section(m, 0, {0x04, 'n', 'a', 'm', 'e', 0x01, 0x09, 0x01, 0x00, 0x02, 0xC0, 0x80});
  auto module = decode_module(m);
  ASSERT_TRUE(module) << module.error().to_string();
  EXPECT_FALSE(module->names.has_value());
  EXPECT_EQ(module->customs.size(), 1u);
  EXPECT_EQ(module->function_name(0), "func[0]");
}

TEST(Decoder, FunctionNameFallsBackToExportsAndImports) {
  auto bytes = testing::wat_to_wasm(R"(
    (module
      (import "wasi" "fd_write" (func (param i32)))
      (func (export "main"))
      (func))
  )");
  auto module = decode_module(bytes);
  ASSERT_TRUE(module);
  // wat2wasm writes no names for unnamed functions.
  EXPECT_EQ(module->function_name(0), "fd_write");
  EXPECT_EQ(module->function_name(1), "main");
  EXPECT_EQ(module->function_name(2), "func[2]");
}

TEST(Decoder, ReportsSpecWordingForMalformedModules) {
  expect_malformed({}, "unexpected end");
  expect_malformed({0x00, 0x61, 0x73}, "unexpected end");
  expect_malformed({0x00, 0x61, 0x73, 0x6E, 0x01, 0x00, 0x00, 0x00}, "magic header not detected");
  expect_malformed({0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00}, "unknown binary version");

  Bytes bad_id = header();
  add_section(bad_id, 13, {});
  expect_malformed(bad_id, "malformed section id");

  Bytes out_of_order = header();
  add_section(out_of_order, 3, {0x00});
  add_section(out_of_order, 1, {0x00});
  expect_malformed(out_of_order, "unexpected content after last section");

  Bytes size_mismatch = header();
  add_section(size_mismatch, 1, {0x00, 0x00});
  expect_malformed(size_mismatch, "section size mismatch");

  Bytes too_long = header();
  too_long.insert(too_long.end(), {0x01, 0x09});  // section size beyond the file
  expect_malformed(too_long, "length out of bounds");

  // A custom section whose size passes the length check only by counting its own size byte.
  Bytes custom_past_end = header();
  custom_past_end.insert(custom_past_end.end(), {0x00, 0x03, 0x01, 'a'});
  expect_malformed(custom_past_end, "unexpected end");

  Bytes bad_import = header();
  add_section(bad_import, 2, {0x01, 0x00, 0x00, 0x04});
  expect_malformed(bad_import, "malformed import kind");

  Bytes bad_utf8 = header();
  add_section(bad_utf8, 0, {0x02, 0xC0, 0x80});
  expect_malformed(bad_utf8, "malformed UTF-8 encoding");

  Bytes bad_mut = header();
  add_section(bad_mut, 6, {0x01, 0x7F, 0x02, 0x41, 0x00, 0x0B});
  expect_malformed(bad_mut, "malformed mutability");

  Bytes funcs_without_code = header();
  add_section(funcs_without_code, 1, {0x01, 0x60, 0x00, 0x00});
  add_section(funcs_without_code, 3, {0x01, 0x00});
  expect_malformed(funcs_without_code, "function and code section have inconsistent lengths");

  Bytes data_count = header();
  add_section(data_count, 12, {0x01});
  expect_malformed(data_count, "data count and data section have inconsistent lengths");
}

TEST(Decoder, ReportsMalformedFunctionBodies) {
  expect_malformed(module_with_body({0x00, 0x41, 0x01, 0x1A}), "unexpected end");  // no end
  expect_malformed(module_with_body({0x00, 0x06, 0x0B}), "illegal opcode");
  expect_malformed(module_with_body({0x00, 0x3F, 0x01, 0x1A, 0x0B}), "zero byte expected");
  expect_malformed(module_with_body({0x00, 0x05, 0x0B}), "END opcode expected");  // stray else
  expect_malformed(module_with_body({0x00, 0x0B, 0x0B}), "section size mismatch");
  expect_malformed(module_with_body({0x00, 0x41, 0x00, 0x28, 0x20, 0x00, 0x1A, 0x0B}),
                   "malformed memop flags");
  expect_malformed(module_with_body({0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x10, 0x1A, 0x0B}),
                   "integer too large");
  expect_malformed(module_with_body({0x00, 0xFC, 0x09, 0x00, 0x0B}), "data count section required");
  expect_malformed(module_with_body({0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x0B}),
                   "too many locals");
  expect_malformed(module_with_body({0x00, 0xD0, 0x7F, 0x1A, 0x0B}), "malformed reference type");
  expect_malformed(module_with_body({0x00, 0xFD, 0x0C, 0x0B}), "SIMD instructions are not supported");
}

TEST(Decoder, ErrorsCarrySectionOffsetAndFunctionIndex) {
  Bytes m = header();
  add_section(m, 1, {0x01, 0x60, 0x00, 0x00});
  add_section(m, 2, {0x01, 0x01, 'e', 0x01, 'f', 0x00, 0x00});
  add_section(m, 3, {0x02, 0x00, 0x00});
  const size_t code_start = m.size() + 2;
  add_section(m, 10, {0x02, 0x02, 0x00, 0x0B, 0x03, 0x00, 0x06, 0x0B});
  auto error = decode_error(m);
  EXPECT_EQ(error.section, "code");
  EXPECT_EQ(error.func_index, 2u);  // one import + second defined function
  EXPECT_EQ(error.offset, code_start + 6);
  EXPECT_NE(error.to_string().find("function 2"), std::string::npos);
}

TEST(Decoder, LocalsLimitComesFromOptions) {
  auto bytes = module_with_body({0x01, 0x0A, 0x7F, 0x0B});  // 10 i32 locals
  DecodeOptions options;
  options.max_locals_per_function = 9;
  auto result = decode_module(bytes, options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "too many locals");
  EXPECT_TRUE(decode_module(bytes));
}

TEST(Decoder, HostileCountsFailWithoutAllocating) {
  Bytes m = header();
  m.insert(m.end(), {0x01, 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F});  // 4 billion types
  expect_malformed(m, "length out of bounds");
  // A br_table with a huge target count inside a body.
  expect_malformed(module_with_body({0x00, 0x41, 0x00, 0x0E, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x0B}),
                   "length out of bounds");
}

TEST(InstrReader, DecodesImmediates) {
  const Bytes code = {
      0x02, 0x40,                    // block
      0x03, 0x7F,                    // loop (result i32)
      0x04, 0x05,                    // if (type 5)
      0x0E, 0x02, 0x00, 0x01, 0x02,  // br_table 0 1 default 2
      0x11, 0x03, 0x01,              // call_indirect type 3 table 1
      0x1C, 0x01, 0x7C,              // select (result f64)
      0x29, 0x03, 0x10,              // i64.load align=8 offset=16
      0x41, 0x7F,                    // i32.const -1
      0x42, 0x80, 0x01,              // i64.const 128
      0x43, 0x00, 0x00, 0xC0, 0x3F,  // f32.const 1.5
      0xD0, 0x6F,                    // ref.null extern
      0xFC, 0x0E, 0x01, 0x02,        // table.copy 1 2
      0xFC, 0x08, 0x04, 0x00,        // memory.init 4
      0x0B,
  };
  InstrReader reader(code, 100);
  auto next = [&] {
    auto instr = reader.next();
    EXPECT_TRUE(instr) << instr.error().to_string();
    return instr ? *instr : Instr{};
  };
  Instr i = next();
  EXPECT_EQ(i.op, Opcode::Block);
  EXPECT_EQ(i.block.kind, BlockType::Kind::Empty);
  EXPECT_EQ(i.offset, 100u);
  i = next();
  EXPECT_EQ(i.block.kind, BlockType::Kind::Value);
  EXPECT_EQ(i.block.value, ValType::I32);
  i = next();
  EXPECT_EQ(i.block.kind, BlockType::Kind::TypeIndex);
  EXPECT_EQ(i.block.type_index, 5u);
  i = next();
  EXPECT_EQ(i.op, Opcode::BrTable);
  EXPECT_EQ(reader.br_targets(), (std::vector<uint32_t>{0, 1, 2}));
  i = next();
  EXPECT_EQ(i.a, 3u);
  EXPECT_EQ(i.b, 1u);
  i = next();
  EXPECT_EQ(i.op, Opcode::SelectT);
  EXPECT_EQ(i.select_arity, 1u);
  EXPECT_EQ(i.type, ValType::F64);
  i = next();
  EXPECT_EQ(i.a, 3u);
  EXPECT_EQ(i.mem_offset, 16u);
  i = next();
  EXPECT_EQ(i.i32(), -1);
  i = next();
  EXPECT_EQ(i.i64(), 128);
  i = next();
  float f;
  uint32_t bits = static_cast<uint32_t>(i.bits);
  std::memcpy(&f, &bits, 4);
  EXPECT_EQ(f, 1.5f);
  i = next();
  EXPECT_EQ(i.type, ValType::ExternRef);
  i = next();
  EXPECT_EQ(i.op, Opcode::TableCopy);
  EXPECT_EQ(i.a, 1u);
  EXPECT_EQ(i.b, 2u);
  i = next();
  EXPECT_EQ(i.op, Opcode::MemoryInit);
  EXPECT_EQ(i.a, 4u);
  i = next();
  EXPECT_EQ(i.op, Opcode::End);
  EXPECT_TRUE(reader.at_end());
  auto past_end = reader.next();
  ASSERT_FALSE(past_end);
  EXPECT_EQ(past_end.error().message.rfind("unexpected end", 0), 0u);
}

}  // namespace
}  // namespace lantern::wasm
