// Validator tests: each rule family with a module that breaks it (expecting the spec's wording at
// the start of the message) and modules that must pass.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "lantern/wasm/decoder.h"
#include "lantern/wasm/validator.h"
#include "support/test_support.h"

namespace lantern::wasm {
namespace {

// wat2wasm checks modules itself; --no-check lets invalid ones through to our validator.
std::vector<uint8_t> assemble_unchecked(const std::string& wat) {
  static int counter = 0;
  std::string base = testing::temp_dir() + "/validator_" + std::to_string(counter++);
  {
    std::ofstream out(base + ".wat");
    out << wat;
  }
  std::string output;
  int rc = testing::run_command(std::string(LANTERN_WAT2WASM) + " --enable-all --no-check " +
                                    base + ".wat -o " + base + ".wasm",
                                output);
  EXPECT_EQ(rc, 0) << "wat2wasm failed:\n" << output << "\n" << wat;
  return testing::read_file(base + ".wasm");
}

Expected<void> validate_wat(const std::string& wat) {
  std::vector<uint8_t> bytes = assemble_unchecked(wat);
  Expected<Module> module = decode_module(bytes);
  if (!module) return Unexpected{module.error()};
  return validate_module(*module);
}

void expect_valid(const std::string& wat) {
  Expected<void> result = validate_wat(wat);
  EXPECT_TRUE(result) << result.error().to_string() << "\n" << wat;
}

void expect_invalid(const std::string& wat, const std::string& message_start) {
  Expected<void> result = validate_wat(wat);
  ASSERT_FALSE(result) << "expected \"" << message_start << "\" for\n" << wat;
  EXPECT_EQ(result.error().phase, Phase::Validate) << result.error().to_string();
  EXPECT_EQ(result.error().message.rfind(message_start, 0), 0u)
      << "got: " << result.error().to_string() << "\nexpected start: " << message_start << "\n"
      << wat;
}

struct InvalidCase {
  const char* wat;
  const char* message;
};

void expect_all_invalid(const std::vector<InvalidCase>& cases) {
  for (const InvalidCase& c : cases) expect_invalid(c.wat, c.message);
}

TEST(Validator, AcceptsTypicalModule) {
  expect_valid(R"((module
    (type $t (func (param i32) (result i32)))
    (import "env" "f" (func $imp (param i32) (result i32)))
    (import "env" "g" (global $ig i32))
    (memory 1 2)
    (table 4 funcref)
    (global $m (mut i64) (i64.const 0))
    (global $c i32 (global.get $ig))
    (elem (i32.const 0) $imp $fac)
    (data (i32.const 8) "hi")
    (func $fac (export "fac") (type $t)
      (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
        (then (i32.const 1))
        (else (i32.mul (local.get 0)
                       (call $fac (i32.sub (local.get 0) (i32.const 1)))))))
    (func (param i32) (result i32)
      (call_indirect (type $t) (local.get 0) (i32.const 1)))
    (func (result i64)
      (global.set $m (i64.add (global.get $m) (i64.load offset=4 align=8 (i32.const 0))))
      (global.get $m))
  ))");
}

TEST(Validator, AcceptsMultiValueBlocksAndBranches) {
  expect_valid(R"((module
    (type $pair (func (param i32) (result i32 i32)))
    (func (result i32 i32)
      (i32.const 1)
      (block (type $pair) (i32.const 2)))
    (func (param i32) (result i32)
      (block $a (result i32)
        (block $b (result i32)
          (br_table $a $b $a (i32.const 7) (local.get 0)))))
    (func (result i32)
      (loop $l (param) (result i32) (i32.const 0)))
  ))");
}

TEST(Validator, AcceptsUnreachableCodePolymorphism) {
  expect_valid(R"((module
    (func (result i32) (unreachable) (i32.add))
    (func (result f64) (return (f64.const 1)) (select))
    (func (result i32) (block (result i32) (br 0 (i32.const 1)) (f32.const 0) (drop)))
    (func (param i32) (result i32)
      (block (result i32) (unreachable) (br_if 0) ))
  ))");
}

TEST(Validator, AcceptsReferenceTypesAndBulkOps) {
  expect_valid(R"((module
    (table $t 2 funcref)
    (table $e 2 externref)
    (memory 1)
    (elem $seg funcref (ref.func $f))
    (elem declare func $g)
    (data $d "abc")
    (func $f (result funcref) (ref.func $g))
    (func $g (param externref) (result i32)
      (table.set $e (i32.const 0) (local.get 0))
      (drop (table.grow $t (ref.null func) (i32.const 1)))
      (table.fill $t (i32.const 0) (ref.null func) (i32.const 1))
      (table.init $t $seg (i32.const 0) (i32.const 0) (i32.const 1))
      (elem.drop $seg)
      (table.copy $t $t (i32.const 0) (i32.const 1) (i32.const 1))
      (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))
      (data.drop $d)
      (memory.copy (i32.const 0) (i32.const 1) (i32.const 1))
      (memory.fill (i32.const 0) (i32.const 1) (i32.const 1))
      (drop (select (result externref) (local.get 0) (ref.null extern) (i32.const 1)))
      (ref.is_null (table.get $e (i32.const 0))))
  ))");
}

TEST(Validator, TypeMismatch) {
  expect_all_invalid({
      {"(module (func (result i32) (f64.const 1)))", "type mismatch"},
      {"(module (func (i32.add (i32.const 1) (i64.const 2)) (drop)))", "type mismatch"},
      {"(module (func (result i32)))", "type mismatch"},
      {"(module (func (i32.const 1)))", "type mismatch"},
      {"(module (func (drop)))", "type mismatch"},
      {"(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)))))",
       "type mismatch"},
      {"(module (func (param i32) (if (local.get 0) (then (i32.const 1)))))", "type mismatch"},
      {"(module (func (block (result i32) (br 0))) )", "type mismatch"},
      {"(module (func (result i32) (block (result i32) (i32.const 0) (br_if 0 (f32.const 1)))))",
       "type mismatch"},
      {"(module (func (param externref) (drop (select (local.get 0) (local.get 0) (i32.const 1)))))",
       "type mismatch"},
      {"(module (func (drop (select (i32.const 0) (f32.const 0) (i32.const 1)))))",
       "type mismatch"},
      {"(module (func (drop (ref.is_null (i32.const 0)))))", "type mismatch"},
      // br_if re-pushes its label's types, even from unreachable code.
      {"(module (func (result i32) (block (result i32) (unreachable) (br_if 0 (i32.const 1)) "
       "(f32.neg) (drop) (i32.const 0))))",
       "type mismatch"},
  });
}

TEST(Validator, TypeMismatchMessageSaysWhatWasExpected) {
  Expected<void> result = validate_wat("(module (func (result i32) (f64.const 1)))");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "type mismatch: expected i32, got f64");
  EXPECT_EQ(result.error().section, "code");
  EXPECT_EQ(result.error().func_index, 0u);
  EXPECT_NE(result.error().offset, Error::kNoOffset);
}

TEST(Validator, BrTableArity) {
  expect_all_invalid({
      {R"((module (func (block $a (result i32) (block $b
           (br_table $a $b (i32.const 0) (i32.const 0))) (i32.const 0)) (drop))))",
       "type mismatch"},
      {R"((module (func (result i32) (block $a (result f32)
           (br_table $a 1 (f32.const 0) (i32.const 0))) (drop) (i32.const 0))))",
       "type mismatch"},
  });
}

TEST(Validator, UnknownIndices) {
  expect_all_invalid({
      {"(module (func (local.get 0) (drop)))", "unknown local"},
      {"(module (func (param i32) (local.set 2 (i32.const 0))))", "unknown local 2"},
      {"(module (func (global.get 0) (drop)))", "unknown global"},
      {"(module (func (call 7)))", "unknown function 7"},
      {"(module (func (drop (table.size 0))))", "unknown table"},
      {"(module (type (func)) (func (call_indirect (type 0) (i32.const 0))))", "unknown table"},
      {"(module (table 1 funcref) (func (call_indirect (type 3) (i32.const 0))))",
       "unknown type"},
      {"(module (func (drop (i32.load (i32.const 0)))))", "unknown memory"},
      {"(module (func (drop (memory.size))))", "unknown memory"},
      {"(module (memory 1) (data \"x\") (func (data.drop 1)))", "unknown data segment 1"},
      {"(module (table 1 funcref) (func (elem.drop 4)))", "unknown elem segment 4"},
      {"(module (func (br 1)))", "unknown label"},
      {"(module (func (block (br_table 0 3 (i32.const 0)))))", "unknown label"},
      {"(module (func (type 9)))", "unknown type"},
      {"(module (export \"f\" (func 3)))", "unknown function"},
      {"(module (export \"m\" (memory 0)))", "unknown memory"},
      {"(module (data (i32.const 0) \"x\"))", "unknown memory"},
      {"(module (elem (i32.const 0) 0))", "unknown table"},
      {"(module (start 2))", "unknown function"},
  });
}

TEST(Validator, Alignment) {
  expect_valid("(module (memory 1) (func (drop (i64.load align=8 (i32.const 0)))))");
  expect_all_invalid({
      {"(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))",
       "alignment must not be larger than natural"},
      {"(module (memory 1) (func (i64.store8 align=2 (i32.const 0) (i64.const 0))))",
       "alignment must not be larger than natural"},
  });
}

TEST(Validator, MemoriesAndLimits) {
  expect_valid("(module (memory 0 65536))");
  expect_valid("(module (table 0xffffffff funcref))");
  expect_all_invalid({
      {"(module (memory 1) (memory 1))", "multiple memories"},
      {"(module (import \"a\" \"m\" (memory 1)) (memory 1))", "multiple memories"},
      {"(module (memory 2 1))", "size minimum must not be greater than maximum"},
      {"(module (table 2 1 funcref))", "size minimum must not be greater than maximum"},
      {"(module (memory 65537))", "memory size must be at most 65536 pages (4GiB)"},
      {"(module (memory 1 65537))", "memory size must be at most 65536 pages (4GiB)"},
      {"(module (import \"a\" \"m\" (memory 70000)))",
       "memory size must be at most 65536 pages (4GiB)"},
  });
}

TEST(Validator, Globals) {
  expect_all_invalid({
      {"(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))",
       "global is immutable"},
      {"(module (global i32 (f32.const 0)))", "type mismatch"},
      {"(module (global i32 (i32.const 0) (i32.const 0)))", "type mismatch"},
      {"(module (global i32))", "type mismatch"},
      {"(module (global i32 (i32.add (i32.const 0) (i32.const 1))))",
       "constant expression required"},
      {"(module (global i32 (nop)))", "constant expression required"},
      {"(module (import \"a\" \"g\" (global (mut i32))) (global i32 (global.get 0)))",
       "constant expression required"},
      {"(module (global i32 (i32.const 0)) (global i32 (global.get 0)))", "unknown global 0"},
      {"(module (memory 1) (data (global.get 0)))", "unknown global 0"},
      {"(module (table 1 funcref) (elem (i32.const 0) funcref (ref.func 5)))",
       "unknown function"},
  });
}

TEST(Validator, ExportsAndStart) {
  expect_valid("(module (func) (start 0) (export \"a\" (func 0)) (export \"b\" (func 0)))");
  expect_all_invalid({
      {"(module (func) (export \"a\" (func 0)) (export \"a\" (func 0)))",
       "duplicate export name"},
      {"(module (global i32 (i32.const 0)) (func) (export \"a\" (func 0)) "
       "(export \"a\" (global 0)))",
       "duplicate export name"},
      {"(module (func (param i32)) (start 0))", "start function"},
      {"(module (func (result i32) (i32.const 0)) (start 0))", "start function"},
  });
}

TEST(Validator, SelectArity) {
  expect_invalid(R"((module (func (result i32 i32)
      (select (result i32 i32) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
              (i32.const 1)))))",
                 "invalid result arity");
}

// wat2wasm encodes `select (result)` as plain `select`, so the empty type vector is built by hand.
TEST(Validator, SelectWithEmptyTypeVector) {
  const std::vector<uint8_t> bytes = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  // header
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,              // type: [] -> []
      0x03, 0x02, 0x01, 0x00,                          // function 0: type 0
      0x0a, 0x08, 0x01, 0x06, 0x00,                    // code: one body, no locals
      0x41, 0x01, 0x1c, 0x00, 0x0b,                    // i32.const 1; select (result); end
  };
  Expected<Module> module = decode_module(bytes);
  ASSERT_TRUE(module) << module.error().to_string();
  Expected<void> result = validate_module(*module);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message.rfind("invalid result arity", 0), 0u)
      << result.error().to_string();
}

TEST(Validator, FunctionReferences) {
  expect_valid("(module (func $f) (func (drop (ref.func $f))) (export \"f\" (func $f)))");
  expect_valid(
      "(module (func $f) (global funcref (ref.func $f)) (func (drop (ref.func $f))))");
  expect_invalid("(module (func $f) (func (drop (ref.func $f))))",
                 "undeclared function reference");
}

TEST(Validator, SegmentTypes) {
  expect_all_invalid({
      {"(module (table 1 funcref) (elem (i32.const 0) externref (ref.null extern)))",
       "type mismatch"},
      {"(module (table 1 funcref) (elem (i64.const 0) funcref))", "type mismatch"},
      {"(module (memory 1) (data (f32.const 0) \"\"))", "type mismatch"},
      {"(module (table $t 1 externref) (elem $e funcref) "
       "(func (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 0))))",
       "type mismatch"},
      {"(module (table $a 1 externref) (table $b 1 funcref) "
       "(func (table.copy $a $b (i32.const 0) (i32.const 0) (i32.const 0))))",
       "type mismatch"},
      {"(module (table 1 externref) (type (func)) (func (call_indirect (type 0) (i32.const 0))))",
       "type mismatch"},
  });
}

}  // namespace
}  // namespace lantern::wasm
