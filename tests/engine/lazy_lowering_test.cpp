// Functions are lowered on their first call: what is lowered when, and that a module shared by
// stores on several threads lowers each function once and runs correctly everywhere.
#include <thread>
#include <vector>

#include "engine/code.h"
#include "engine/engine_fixture.h"

namespace lantern::engine {
namespace {

using V = Value;

// $a calls $b directly (CallInternal), $b reaches $c through the table (call_indirect), $unused
// is never called; $deep recurses without bound.
constexpr const char* kCallChain = R"((module
    (type $i2i (func (param i32) (result i32)))
    (table 1 funcref)
    (elem (i32.const 0) $c)
    (func $a (export "a") (param i32) (result i32)
      (i32.add (call $b (local.get 0)) (i32.const 1)))
    (func $b (param i32) (result i32)
      (call_indirect (type $i2i) (i32.mul (local.get 0) (i32.const 2)) (i32.const 0)))
    (func $c (param i32) (result i32)
      (f64.const 1.5) (drop)
      (i32.sub (local.get 0) (i32.const 3)))
    (func $unused (export "unused") (result i32) (i32.const 42))
    (func $deep (export "deep") (param i32) (result i32)
      (i32.add (call $deep (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  ))";

bool lowered(Instance* inst, const char* name) {
  return inst->find_function(name)->code->lowered();
}

TEST_F(EngineTest, LowersFunctionsOnFirstCall) {
  auto* m = load(kCallChain);
  ASSERT_NE(m, nullptr);
  const CompiledModule& compiled = *m->module;
  for (const CompiledFunction& fn : compiled.functions) EXPECT_FALSE(fn.lowered());

  EXPECT_EQ(call_int(m, "a", {V::i32(5)}), 8);   // (5 * 2 - 3) + 1
  EXPECT_TRUE(compiled.functions[0].lowered());  // $a: called by the embedder
  EXPECT_TRUE(compiled.functions[1].lowered());  // $b: a direct call
  EXPECT_TRUE(compiled.functions[2].lowered());  // $c: through the table
  EXPECT_FALSE(lowered(m, "unused"));
  EXPECT_FALSE(lowered(m, "deep"));

  // Second calls take the lowered code directly.
  EXPECT_EQ(call_int(m, "a", {V::i32(10)}), 18);
  EXPECT_EQ(call_int(m, "unused"), 42);
  EXPECT_TRUE(lowered(m, "unused"));
}

TEST_F(EngineTest, FirstCallOfARecursiveFunctionStillExhaustsTheStack) {
  auto* m = load(kCallChain);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(trap_of(m, "deep", {V::i32(0)}), "call stack exhausted");
  EXPECT_EQ(trap_of(m, "deep", {V::i32(0)}), "call stack exhausted");
}

TEST_F(EngineTest, LowerAllFunctionsUpFront) {
  auto* m = load(kCallChain);
  ASSERT_NE(m, nullptr);
  ASSERT_TRUE(lower_all_functions(*m->module));
  for (const CompiledFunction& fn : m->module->functions) EXPECT_TRUE(fn.lowered());
  EXPECT_EQ(call_int(m, "a", {V::i32(5)}), 8);
  EXPECT_EQ(call_int(m, "unused"), 42);
}

TEST(LazyLowering, StartFunctionIsLoweredDuringInstantiation) {
  auto compiled = load_module(testing::wat_to_wasm(R"((module
    (global $g (export "g") (mut i32) (i32.const 0))
    (func $init (global.set $g (i32.const 7)))
    (start $init))
  )"));
  ASSERT_TRUE(compiled) << compiled.error().to_string();
  Store store;
  Linker linker;
  auto inst = linker.instantiate(store, *compiled);
  ASSERT_TRUE(inst) << inst.error().to_string();
  EXPECT_EQ((*inst)->find_export("g")->global->get().as_i32(), 7);
  EXPECT_TRUE((*compiled)->functions[0].lowered());
}

// One CompiledModule, one store per thread, all calling into not-yet-lowered code at once. Run
// it under -fsanitize=thread to check the publication of lowered code.
TEST(LazyLowering, ModuleSharedByStoresOnSeveralThreads) {
  auto compiled = load_module(testing::wat_to_wasm(kCallChain));
  ASSERT_TRUE(compiled) << compiled.error().to_string();
  constexpr int kThreads = 4;
  std::vector<int> results(kThreads, -1);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store store;
      Linker linker;
      auto inst = linker.instantiate(store, *compiled);
      if (!inst) return;
      int sum = 0;
      for (int i = 0; i < 100; ++i) {
        auto r = store.invoke(*(*inst)->find_function("a"), std::vector<Value>{V::i32(i)});
        if (!r) return;
        sum += (*r)[0].as_i32();
      }
      results[t] = sum;
    });
  }
  for (auto& thread : threads) thread.join();
  // sum over i < 100 of (2i - 3 + 1) = 9900 - 200
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(results[t], 9700) << "thread " << t;
}

}  // namespace
}  // namespace lantern::engine
