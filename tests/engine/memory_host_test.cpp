#include "engine/engine_fixture.h"

namespace lantern::engine {
namespace {

using V = Value;

TEST_F(EngineTest, LoadsStoresAndBounds) {
  auto* m = load(R"((module
    (memory (export "mem") 1 3)
    (data (i32.const 16) "\01\02\03\04\ff")
    (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "load8s") (param i32) (result i32) (i32.load8_s offset=4 (local.get 0)))
    (func (export "store64") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
    (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "size") (result i32) (memory.size))
  ))");
  EXPECT_EQ(call_int(m, "load32", {V::i32(16)}), 0x04030201);
  EXPECT_EQ(call_int(m, "load8s", {V::i32(16)}), -1);
  ASSERT_TRUE(call(m, "store64", {V::i32(100), V::i64(-2)}));
  EXPECT_EQ(call_int(m, "load64", {V::i32(100)}), -2);
  EXPECT_EQ(trap_of(m, "load32", {V::i32(65533)}), "out of bounds memory access");
  EXPECT_EQ(trap_of(m, "load32", {V::i32(-1)}), "out of bounds memory access");
  EXPECT_EQ(call_int(m, "grow", {V::i32(1)}), 1);
  EXPECT_EQ(call_int(m, "size"), 2);
  EXPECT_EQ(call_int(m, "load32", {V::i32(65533)}), 0);  // now in bounds
  EXPECT_EQ(call_int(m, "grow", {V::i32(2)}), -1);       // beyond max 3
  EXPECT_EQ(call_int(m, "size"), 2);
}

TEST_F(EngineTest, BulkMemory) {
  auto* m = load(R"((module
    (memory 1)
    (data $d "hello")
    (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
    (func (export "drop") (data.drop $d))
    (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
    (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
    (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
  ))");
  ASSERT_TRUE(call(m, "init", {V::i32(10), V::i32(1), V::i32(4)}));
  EXPECT_EQ(call_int(m, "byte", {V::i32(10)}), 'e');
  ASSERT_TRUE(call(m, "copy", {V::i32(11), V::i32(10), V::i32(4)}));  // overlapping
  EXPECT_EQ(call_int(m, "byte", {V::i32(14)}), 'o');
  ASSERT_TRUE(call(m, "fill", {V::i32(0), V::i32(0x1ff), V::i32(3)}));
  EXPECT_EQ(call_int(m, "byte", {V::i32(2)}), 0xff);
  ASSERT_TRUE(call(m, "drop"));
  EXPECT_EQ(trap_of(m, "init", {V::i32(0), V::i32(0), V::i32(1)}), "out of bounds memory access");
  EXPECT_EQ(trap_of(m, "fill", {V::i32(65535), V::i32(0), V::i32(2)}),
            "out of bounds memory access");
}

TEST_F(EngineTest, HostFunctionsWithTypedSignatures) {
  int64_t seen = 0;
  auto* add = add_host_function(
      store, "env.add",
      host_function([](Caller&, int32_t a, int64_t b) -> int64_t { return a + b; }));
  auto* record =
      add_host_function(store, "env.record", host_function([&](Caller&, int64_t v) { seen = v; }));
  auto* fail = add_host_function(store, "env.fail", host_function([](Caller&) -> HostResult<void> {
                                   return HostResult<void>::failure(Trap::host("host said no"));
                                 }));
  EXPECT_EQ(add->type.params.size(), 2u);
  EXPECT_EQ(add->type.params[1], ValType::I64);
  linker.define("env", "add", Extern::of(add));
  linker.define("env", "record", Extern::of(record));
  linker.define("env", "fail", Extern::of(fail));
  auto* m = load(R"((module
    (import "env" "add" (func $add (param i32 i64) (result i64)))
    (import "env" "record" (func $record (param i64)))
    (import "env" "fail" (func $fail))
    (func (export "go") (result i64) (call $record (call $add (i32.const 40) (i64.const 2))) (i64.const 1))
    (func (export "boom") (call $fail))
  ))");
  EXPECT_EQ(call_int(m, "go"), 1);
  EXPECT_EQ(seen, 42);
  EXPECT_EQ(trap_of(m, "boom"), "host said no");
}

TEST_F(EngineTest, LinkingBetweenModules) {
  auto* a = load(R"((module
    (memory (export "mem") 1)
    (global (export "g") (mut i32) (i32.const 5))
    (func (export "get") (result i32) (global.get 0))
  ))",
                 "a");
  auto* b = load(R"((module
    (import "a" "mem" (memory 1))
    (import "a" "g" (global $g (mut i32)))
    (import "a" "get" (func $get (result i32)))
    (func (export "bump") (result i32)
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (i32.store (i32.const 0) (i32.const 77))
      (call $get))
  ))");
  EXPECT_EQ(call_int(b, "bump"), 6);
  EXPECT_EQ(a->memories[0]->data[0], 77);
  // Unknown imports and type mismatches are link errors.
  auto bad = load_module(testing::wat_to_wasm(R"((module (import "a" "nope" (func))))"));
  ASSERT_TRUE(bad);
  auto r = linker.instantiate(store, *bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().phase, Phase::Link);
  auto mismatch =
      load_module(testing::wat_to_wasm(R"((module (import "a" "get" (func (param i32)))))"));
  ASSERT_TRUE(mismatch);
  auto r2 = linker.instantiate(store, *mismatch);
  ASSERT_FALSE(r2);
  EXPECT_NE(r2.error().message.find("incompatible import type"), std::string::npos);
}

TEST_F(EngineTest, StartFunctionTrapIsAnInstantiationError) {
  auto compiled = load_module(testing::wat_to_wasm(R"((module (func $s unreachable) (start $s)))"));
  ASSERT_TRUE(compiled);
  auto r = linker.instantiate(store, *compiled);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().phase, Phase::Instantiate);
  EXPECT_EQ(r.error().message, "unreachable");
}

TEST_F(EngineTest, HugeDeclaredSizesAreErrorsNotAllocations) {
  auto table = load_module(testing::wat_to_wasm("(module (table 4294967295 funcref))"));
  ASSERT_TRUE(table);
  auto r = linker.instantiate(store, *table);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("exceeds the limit"), std::string::npos);

  Store small(StoreLimits{.max_memory_pages = 16});
  auto memory = load_module(testing::wat_to_wasm("(module (memory 17))"));
  ASSERT_TRUE(memory);
  auto r2 = linker.instantiate(small, *memory);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().phase, Phase::Instantiate);
}

}  // namespace
}  // namespace lantern::engine
