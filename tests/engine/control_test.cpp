#include "engine/engine_fixture.h"

namespace lantern::engine {
namespace {

using V = Value;

constexpr const char* kRecursiveFib = R"((module
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
        (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2))))))))
  )";

TEST_F(EngineTest, RecursiveFib) {
  auto* m = load(kRecursiveFib);
  EXPECT_EQ(call_int(m, "fib", {V::i32(20)}), 6765);
}

TEST_F(EngineTest, LoopsAndLocals) {
  auto* m = load(R"((module
    (func (export "sum") (param $n i32) (result i64) (local $i i32) (local $acc i64)
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (local.get $acc))
    (func (export "swap") (param i32 i32) (result i32)
      ;; local.get values must be read before the locals are overwritten
      (local.get 0) (local.get 1) (local.set 0) (local.set 1)
      (i32.sub (local.get 0) (local.get 1)))
    (func (export "tee") (param i32) (result i32)
      (i32.add (local.tee 0 (i32.const 7)) (local.get 0)))
  ))");
  EXPECT_EQ(call_int(m, "sum", {V::i32(100)}), 4950);
  EXPECT_EQ(call_int(m, "swap", {V::i32(10), V::i32(3)}), -7);
  EXPECT_EQ(call_int(m, "tee", {V::i32(1)}), 14);
}

TEST_F(EngineTest, BrTableAndBlockResults) {
  auto* m = load(R"((module
    (func (export "classify") (param i32) (result i32)
      (block $d (result i32)
        (block $c (result i32)
          (block $b (result i32)
            (block $a (result i32)
              (i32.const 100) (local.get 0) (br_table $a $b $c $d))
            (return (i32.add (i32.const 1))))
          (return (i32.add (i32.const 2))))
        (return (i32.add (i32.const 3))))
      (i32.add (i32.const 4)))
  ))");
  EXPECT_EQ(call_int(m, "classify", {V::i32(0)}), 101);
  EXPECT_EQ(call_int(m, "classify", {V::i32(1)}), 102);
  EXPECT_EQ(call_int(m, "classify", {V::i32(2)}), 103);
  EXPECT_EQ(call_int(m, "classify", {V::i32(99)}), 104);
}

TEST_F(EngineTest, MultiValue) {
  auto* m = load(R"((module
    (func $pair (param i32) (result i32 i32) (local.get 0) (i32.mul (local.get 0) (i32.const 2)))
    (func (export "sum_pair") (param i32) (result i32) (call $pair (local.get 0)) (i32.add))
    (func (export "swap_ret") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
    (func (export "block_params") (param i32) (result i32)
      (local.get 0) (i32.const 5)
      (block (param i32 i32) (result i32) (i32.sub)))
    (func (export "loop_params") (param i32) (result i32)
      ;; sums n..1 with (acc, n) carried as the loop's parameters
      (i32.const 0) (local.get 0)
      (loop $l (param i32 i32) (result i32)
        (local.set 0) (local.get 0) (i32.add)
        (local.get 0) (i32.const 1) (i32.sub) (local.tee 0)
        (local.get 0) (br_if $l)
        (drop)))
  ))");
  EXPECT_EQ(call_int(m, "sum_pair", {V::i32(7)}), 21);
  auto r = call(m, "swap_ret", {V::i32(1), V::i32(2)});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].as_i32(), 2);
  EXPECT_EQ((*r)[1].as_i32(), 1);
  EXPECT_EQ(call_int(m, "block_params", {V::i32(12)}), 7);
  EXPECT_EQ(call_int(m, "loop_params", {V::i32(10)}), 55);
}

TEST_F(EngineTest, BrIfCarriesValues) {
  auto* m = load(R"((module
    (func (export "f") (param i32) (result i32)
      (block $out (result i32)
        (i32.const 10)
        (i32.const 20) (local.get 0) (br_if $out)
        (drop) (i32.const 30) (i32.add)))
  ))");
  EXPECT_EQ(call_int(m, "f", {V::i32(1)}), 20);
  EXPECT_EQ(call_int(m, "f", {V::i32(0)}), 40);
}

TEST_F(EngineTest, CallIndirectAndTables) {
  auto* m = load(R"((module
    (type $i2i (func (param i32) (result i32)))
    (table 4 funcref)
    (elem (i32.const 0) $inc $dbl)
    (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func $dbl (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
    (func $other (param i64) (result i64) (local.get 0))
    (func (export "dispatch") (param i32 i32) (result i32)
      (call_indirect (type $i2i) (local.get 1) (local.get 0)))
    (elem declare func $other)
    (func (export "set_other") (table.set 0 (i32.const 2) (ref.func $other)))
  ))");
  EXPECT_EQ(call_int(m, "dispatch", {V::i32(0), V::i32(5)}), 6);
  EXPECT_EQ(call_int(m, "dispatch", {V::i32(1), V::i32(5)}), 10);
  EXPECT_EQ(trap_of(m, "dispatch", {V::i32(3), V::i32(5)}), "uninitialized element");
  EXPECT_EQ(trap_of(m, "dispatch", {V::i32(9), V::i32(5)}), "undefined element");
  ASSERT_TRUE(call(m, "set_other"));
  EXPECT_EQ(trap_of(m, "dispatch", {V::i32(2), V::i32(5)}), "indirect call type mismatch");
}

TEST_F(EngineTest, DeepRecursionTrapsInsteadOfCrashing) {
  auto* m = load(R"((module
    (func $down (export "down") (param i32) (result i32)
      (i32.add (i32.const 1) (call $down (local.get 0))))
  ))");
  EXPECT_EQ(trap_of(m, "down", {V::i32(0)}), "call stack exhausted");
  // The store is usable after the trap.
  EXPECT_EQ(trap_of(m, "down", {V::i32(0)}), "call stack exhausted");
}

TEST_F(EngineTest, TrapBacktraceNamesFunctions) {
  auto* m = load(R"((module
    (func $inner (unreachable))
    (func $outer (export "outer") (call $inner))
  ))");
  auto r = call(m, "outer");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "unreachable");
  ASSERT_GE(r.error().backtrace.size(), 2u);
  EXPECT_EQ(r.error().backtrace[0].name, "inner");
  EXPECT_EQ(r.error().backtrace[1].name, "outer");
}

struct CountingListener : CallListener {
  int enters = 0, exits = 0;
  void on_enter(const FuncInst&) override { ++enters; }
  void on_exit(const FuncInst&) override { ++exits; }
};

TEST_F(EngineTest, ListenerSeesEveryCall) {
  auto* m = load(kRecursiveFib);
  CountingListener listener;
  store.set_listener(&listener);
  EXPECT_EQ(call_int(m, "fib", {V::i32(10)}), 55);
  EXPECT_EQ(listener.enters, 177);
  EXPECT_EQ(listener.exits, 177);
}

TEST_F(EngineTest, InterruptStopsALoop) {
  auto* m = load(R"((module (func (export "spin") (loop (br 0)))))");
  store.interrupt_flag() = true;
  EXPECT_EQ(trap_of(m, "spin"), "interrupted");
}

}  // namespace
}  // namespace lantern::engine
