// Writer tests: byte-identical round trips of wat2wasm and clang output, modules changed after
// decoding, and modules built from scratch.
#include "lantern/wasm/writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "lantern/wasm/decoder.h"
#include "support/test_support.h"

namespace lantern::wasm {
namespace {

using Bytes = std::vector<uint8_t>;

// wat2wasm with --debug-names so the module carries a `name` section.
Bytes wat_with_names(const std::string& wat) {
  static int counter = 0;
  const std::string base = testing::temp_dir() + "/writer_names_" + std::to_string(counter++);
  {
    std::ofstream out(base + ".wat");
    out << wat;
  }
  std::string output;
  const int rc = testing::run_command(std::string(LANTERN_WAT2WASM) +
                                          " --enable-all --debug-names " + base + ".wat -o " +
                                          base + ".wasm",
                                      output);
  EXPECT_EQ(rc, 0) << output;
  return testing::read_file(base + ".wasm");
}

void expect_round_trip(const Bytes& bytes) {
  auto module = decode_module(bytes);
  ASSERT_TRUE(module) << module.error().to_string();
  const Bytes written = write_module(*module);
  ASSERT_EQ(written.size(), bytes.size());
  EXPECT_TRUE(written == bytes) << "bytes differ";
}

const char* kEverySection = R"(
  (module
    (type $t0 (func (param i32 i64) (result f32)))
    (import "env" "f" (func $imp (type $t0)))
    (import "env" "t" (table 2 10 funcref))
    (import "env" "g" (global $ig (mut i32)))
    (table $tab 3 externref)
    (memory 2 5)
    (global $g f64 (f64.const 1.5))
    (global $h (mut i64) (i64.const -7))
    (func $f (type $t0) (local i32 i32 f64)
      (block $b (loop $l (br_if $b (local.get 0)) (br_table $b $l $b (local.get 0))))
      i32.const 0 i32.const 1 i32.const 2 memory.init 0 data.drop 0 f32.const 2)
    (func $start)
    (export "f" (func $f))
    (export "mem" (memory 0))
    (start $start)
    (elem (i32.const 0) func $f)
    (data (i32.const 8) "hello")
    (data "passive"))
)";

const char* kAllSegmentForms = R"(
  (module
    (table $t0 4 funcref)
    (table $t1 4 funcref)
    (table $t2 4 externref)
    (memory $m0 1)
    (func $f)
    (elem (i32.const 0) func $f)
    (elem func $f)
    (elem (table $t1) (i32.const 1) func $f)
    (elem declare func $f)
    (elem (i32.const 2) funcref (ref.null func))
    (elem funcref (ref.null func) (ref.func $f))
    (elem (table $t2) (i32.const 0) externref (ref.null extern))
    (elem declare funcref (ref.null func))
    (data (i32.const 0) "a")
    (data "b")
    (data (memory $m0) (i32.const 0) "c"))
)";

TEST(Writer, RoundTripsWat2WasmModules) {
  expect_round_trip(testing::wat_to_wasm(kEverySection));
  expect_round_trip(testing::wat_to_wasm(kAllSegmentForms));
  expect_round_trip(wat_with_names(kEverySection));
  expect_round_trip(testing::wat_to_wasm("(module)"));
  expect_round_trip(testing::wat_to_wasm(R"(
    (module
      (func $fac (export "fac") (param i64) (result i64)
        (if (result i64) (i64.eqz (local.get 0))
          (then (i64.const 1))
          (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))
  )"));
}

TEST(Writer, KeepsCustomSectionsAndEmptySectionsInPlace) {
  Bytes m = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  const Bytes sections = {
      0x00, 0x04, 0x01, 'a', 'x', 'y',              // custom "a" before everything
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,           // type
      0x00, 0x03, 0x01, 'b', 0x07,                  // custom "b" between type and function
      0x03, 0x02, 0x01, 0x00,                       // function
      0x07, 0x01, 0x00,                             // empty export section
      0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B,           // code
      0x00, 0x02, 0x01, 'c',                        // custom "c" at the end
  };
  m.insert(m.end(), sections.begin(), sections.end());
  expect_round_trip(m);
}

TEST(Writer, KeepsExplicitMemoryIndexDataForm) {
  const Bytes m = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
                   0x05, 0x03, 0x01, 0x00, 0x01,                                   // memory
                   0x0B, 0x08, 0x01, 0x02, 0x00, 0x41, 0x04, 0x0B, 0x01, 'c'};     // data form 2
  expect_round_trip(m);
}

TEST(Writer, RoundTripsClangOutput) {
  std::string output;
  if (testing::run_command("command -v clang-19", output) != 0) GTEST_SKIP() << "clang-19 missing";
  const std::string dir = testing::temp_dir();
  {
    std::ofstream out(dir + "/prog.c");
    out << R"(
      #include <stdio.h>
      #include <stdlib.h>
      #include <string.h>
      static int compare(const void* a, const void* b) { return *(const int*)a - *(const int*)b; }
      int main(int argc, char** argv) {
        int values[64];
        for (int i = 0; i < 64; ++i) values[i] = (i * 7919) % 101;
        qsort(values, 64, sizeof(int), compare);
        char* text = malloc(128);
        snprintf(text, 128, "min %d max %d args %d", values[0], values[63], argc);
        printf("%s %zu\n", text, strlen(text));
        free(text);
        return 0;
      }
    )";
  }
  // Compile and link separately so the link step keeps the name section (see DESIGN.md).
  const std::string cmd = "cd " + dir + " && clang-19 --target=wasm32-wasi -O2 -c prog.c -o prog.o" +
                          " && clang-19 --target=wasm32-wasi prog.o -o prog.wasm";
  if (testing::run_command(cmd, output) != 0) GTEST_SKIP() << "clang-19 cannot build wasm: " << output;
  const Bytes bytes = testing::read_file(dir + "/prog.wasm");
  ASSERT_FALSE(bytes.empty());
  auto module = decode_module(bytes);
  ASSERT_TRUE(module) << module.error().to_string();
  EXPECT_TRUE(module->names.has_value());
  expect_round_trip(bytes);
}

TEST(Writer, ChangedModuleDecodesToTheSameModule) {
  auto module = decode_module(testing::wat_to_wasm(kEverySection));
  ASSERT_TRUE(module);
  Module& m = *module;
  // Add a function `(func (result i32) i32.const 42)` and export it.
  m.types.push_back(FuncType{{}, {ValType::I32}});
  Function added;
  added.type_index = static_cast<uint32_t>(m.types.size() - 1);
  added.locals.push_back({3, ValType::I64});
  added.body = {0x41, 0x2A, 0x0B};
  m.functions.push_back(added);
  m.exports.push_back({"answer", ExternKind::Func, m.total_funcs() - 1});
  m.elements[0].func_indices.push_back(m.total_funcs() - 1);

  const Bytes written = write_module(m);
  auto again = decode_module(written);
  ASSERT_TRUE(again) << again.error().to_string();
  ASSERT_EQ(again->functions.size(), m.functions.size());
  EXPECT_EQ(again->functions.back().body, added.body);
  EXPECT_EQ(again->functions.back().locals.size(), 1u);
  EXPECT_EQ(again->functions.back().locals[0].count, 3u);
  EXPECT_EQ(again->types.back(), m.types.back());
  EXPECT_EQ(again->exports.back().name, "answer");
  EXPECT_EQ(again->elements[0].func_indices, m.elements[0].func_indices);
  EXPECT_EQ(again->section_order, m.section_order);
  EXPECT_EQ(write_module(*again), written);
}

TEST(Writer, AddsSectionsAModuleGained) {
  auto module = decode_module(testing::wat_to_wasm("(module (memory 1))"));
  ASSERT_TRUE(module);
  Module& m = *module;
  m.types.push_back(FuncType{{ValType::I32}, {}});
  Function f;
  f.body = {0x0B};
  m.functions.push_back(f);
  m.start = 0;
  DataSegment seg;
  seg.flags = 1;
  seg.mode = SegmentMode::Passive;
  seg.bytes = {1, 2, 3};
  m.data.push_back(seg);
  m.data_count = 1;
  auto again = decode_module(write_module(m));
  ASSERT_TRUE(again) << again.error().to_string();
  const std::vector<SectionId> order = {SectionId::Type,  SectionId::Function,
                                        SectionId::Memory, SectionId::Start,
                                        SectionId::DataCount, SectionId::Code, SectionId::Data};
  EXPECT_EQ(again->section_order, order);
  EXPECT_EQ(again->data[0].bytes, seg.bytes);
  EXPECT_EQ(again->start, 0u);
}

TEST(Writer, WritesModuleBuiltFromScratch) {
  Module m;
  m.types.push_back(FuncType{{ValType::I32, ValType::I32}, {ValType::I32}});
  Function add;
  add.body = {0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B};
  m.functions.push_back(add);
  m.exports.push_back({"add", ExternKind::Func, 0});
  ElementSegment seg;
  seg.mode = SegmentMode::Declarative;
  seg.func_indices = {0};
  m.elements.push_back(seg);
  m.customs.push_back({"note", {'h', 'i'}, 0});
  const Bytes bytes = write_module(m);
  auto again = decode_module(bytes);
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->functions[0].body, add.body);
  EXPECT_EQ(again->elements[0].flags, 3);
  EXPECT_EQ(again->customs[0].name, "note");
  EXPECT_EQ(again->customs[0].after_sections, 0u);
  EXPECT_EQ(write_module(*again), bytes);
}

}  // namespace
}  // namespace lantern::wasm
