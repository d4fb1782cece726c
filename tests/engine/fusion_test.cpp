// Lowering keeps some values pending (comparisons, address additions, arithmetic pairs) so they
// fuse with their consumer. These cases check that a pending value never reads a slot or local
// that was overwritten before it was used, and that fused forms keep Wasm's semantics.
#include "engine/engine_fixture.h"

namespace lantern::engine {
namespace {

using V = Value;

double call_f64(Instance* m, const std::string& name, std::vector<Value> args, Store& store) {
  auto r = store.invoke(*m->find_function(name), args);
  EXPECT_TRUE(r) << name;
  return r && !r->empty() ? (*r)[0].as_f64() : -1.0;
}

TEST_F(EngineTest, FusedFloatPairsWithConstantOperands) {
  auto* m = load(R"((module
    (func (export "eps") (result f64)
      (f64.sub (f64.const 1.0)
               (f64.mul (f64.const 3.0) (f64.sub (f64.div (f64.const 4.0) (f64.const 3.0)) (f64.const 1.0)))))
    (func (export "mix") (param f64 f64 f64) (result f64)
      (f64.add (f64.mul (local.get 0) (local.get 1)) (f64.sub (local.get 2) (f64.const 0.5))))
    (func (export "set_between") (param f64 f64) (result f64)
      (local.get 0) (local.get 1) (f64.mul) (f64.const 2) (local.set 0) (local.get 0) (f64.add))
  ))");
  volatile double four = 4.0, three = 3.0;
  double eps = 1.0 - 3.0 * ((four / three) - 1.0);
  EXPECT_EQ(call_f64(m, "eps", {}, store), eps);
  EXPECT_EQ(call_f64(m, "mix", {V::f64(3), V::f64(4), V::f64(10)}, store), 12 + 9.5);
  EXPECT_EQ(call_f64(m, "set_between", {V::f64(3), V::f64(4)}, store), 14.0);
}

TEST_F(EngineTest, FusedIntegerPairs) {
  auto* m = load(R"((module
    (func (export "sigma") (param i32 i32 i32) (result i32)
      (i32.add (i32.xor (local.get 0) (i32.rotl (local.get 1) (i32.const 5))) (local.get 2)))
    (func (export "const_left") (param i32) (result i32)
      (i32.xor (i32.const 7) (i32.shr_u (local.get 0) (i32.const 3))))
    (func (export "chain") (param i32 i32) (result i32)
      (i32.or (i32.and (i32.shl (local.get 0) (i32.const 36)) (local.get 1)) (i32.const 1)))
  ))");
  uint32_t a = 0x12345678, b = 0x9abcdef0, c = 77;
  uint32_t rot = (b << 5) | (b >> 27);
  EXPECT_EQ(static_cast<uint32_t>(call_int(m, "sigma", {V::i32(a), V::i32(b), V::i32(c)})),
            (a ^ rot) + c);
  EXPECT_EQ(call_int(m, "const_left", {V::i32(800)}), 7 ^ 100);
  EXPECT_EQ(call_int(m, "chain", {V::i32(3), V::i32(0xff)}),
            ((3 << 4) & 0xff) | 1);  // shift count mod 32
}

TEST_F(EngineTest, FoldedAddressesWrapLikeWasm) {
  auto* m = load(R"((module
    (memory 1)
    (func (export "load_wrapped") (param i32) (result i32) (i32.load (i32.add (local.get 0) (i32.const 4))))
    (func (export "store_wrapped") (param i32 i32) (i32.store (i32.add (local.get 0) (i32.const 8)) (local.get 1)))
    (func (export "read") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "offset_past_end") (param i32) (result i32)
      (i32.load offset=65532 (i32.add (local.get 0) (i32.const 4))))
  ))");
  ASSERT_TRUE(call(m, "store_wrapped", {V::i32(-8), V::i32(1234)}));  // -8 + 8 wraps to 0
  EXPECT_EQ(call_int(m, "read", {V::i32(0)}), 1234);
  EXPECT_EQ(call_int(m, "load_wrapped", {V::i32(-4)}), 1234);  // -4 + 4 wraps to 0, no trap
  EXPECT_EQ(trap_of(m, "offset_past_end", {V::i32(0)}), "out of bounds memory access");
  EXPECT_EQ(call_int(m, "offset_past_end", {V::i32(-4)}), 1234 - 1234);  // 0 + 65532 in bounds
}

TEST_F(EngineTest, PendingValuesSurviveLocalWrites) {
  auto* m = load(R"((module
    (memory 1)
    (data (i32.const 4) "\2a")
    (func (export "cmp_then_set") (param i32) (result i32)
      (block $b (result i32)
        (i32.const 1)
        (local.get 0) (i32.const 5) (i32.lt_s)   ;; pending comparison reads local 0
        (i32.const 100) (local.set 0)            ;; local 0 changes before br_if consumes it
        (br_if $b)
        (drop) (local.get 0)))
    (func (export "addr_then_set") (param i32) (result i32)
      (local.get 0) (i32.const 4) (i32.add)      ;; pending address reads local 0
      (i32.const 0) (local.set 0)
      (i32.load8_u))
    (func (export "tee_pending") (param i32) (result i32) (local i32)
      (local.tee 1 (i32.add (local.get 0) (i32.const 1)))
      (local.get 1) (i32.mul))
  ))");
  EXPECT_EQ(call_int(m, "cmp_then_set", {V::i32(3)}), 1);    // 3 < 5: branch taken with 1
  EXPECT_EQ(call_int(m, "cmp_then_set", {V::i32(9)}), 100);  // not taken: reads the new local
  EXPECT_EQ(call_int(m, "addr_then_set", {V::i32(0)}), 0x2a);
  EXPECT_EQ(call_int(m, "tee_pending", {V::i32(6)}), 49);
}

TEST_F(EngineTest, PendingComparisonAsStoreAddressWithConstantValue) {
  // The comparison's right operand lives in the slot where the constant value would be placed.
  auto* m = load(R"((module
    (memory 1)
    (func $two (result i32) (i32.const 2))
    (func (export "store_cmp") (param i32) (result i32)
      (i32.store8 (i32.lt_s (local.get 0) (call $two)) (i32.const 99))
      (i32.load8_u (i32.const 1)))
  ))");
  EXPECT_EQ(call_int(m, "store_cmp", {V::i32(5)}), 0);   // 5 < 2 is false: stored at address 0
  EXPECT_EQ(call_int(m, "store_cmp", {V::i32(1)}), 99);  // 1 < 2 is true: stored at address 1
}

TEST_F(EngineTest, FusedFloatStores) {
  auto* m = load(R"((module
    (memory 1)
    (func (export "store_ops") (param i32 f64 f64) (result f64)
      (f64.store offset=8 (local.get 0) (f64.mul (local.get 1) (local.get 2)))
      (f64.store (i32.const 32) (f64.sub (local.get 1) (local.get 2)))
      (f64.store (i32.add (local.get 0) (i32.const 16)) (f64.add (local.get 1) (f64.const 0.25)))
      (f64.add (f64.add (f64.load offset=8 (local.get 0)) (f64.load (i32.const 32)))
               (f64.load offset=16 (local.get 0))))
  ))");
  auto r = call(m, "store_ops", {V::i32(0), V::f64(3.0), V::f64(0.5)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].as_f64(), 1.5 + 2.5 + 3.25);
  EXPECT_EQ(trap_of(m, "store_ops", {V::i32(65530), V::f64(1), V::f64(1)}),
            "out of bounds memory access");
}

TEST_F(EngineTest, FusedFloatLoads) {
  auto* m = load(R"((module
    (memory 1)
    (data (i32.const 8) "\00\00\00\00\00\00\08\40")   ;; 3.0 at 8
    (func (export "ops") (param i32 f64) (result f64)
      (f64.add (f64.sub (f64.load offset=8 (local.get 0)) (local.get 1))   ;; load on the left
               (f64.mul (local.get 1) (f64.load (i32.const 8)))))          ;; on the right, const address
    (func (export "both") (param i32) (result f64)
      (f64.sub (f64.load offset=8 (local.get 0)) (f64.load (i32.const 8))))
    (func (export "dropped") (param i32) (drop (f64.load (local.get 0))))
  ))");
  auto r = call(m, "ops", {V::i32(0), V::f64(0.5)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].as_f64(), (3.0 - 0.5) + 0.5 * 3.0);
  auto b = call(m, "both", {V::i32(0)});
  ASSERT_TRUE(b);
  EXPECT_EQ((*b)[0].as_f64(), 0.0);
  EXPECT_EQ(trap_of(m, "ops", {V::i32(65530), V::f64(1)}), "out of bounds memory access");
  EXPECT_EQ(trap_of(m, "dropped", {V::i32(65530)}), "out of bounds memory access");  // still runs
}

TEST_F(EngineTest, CounterStepFusedWithLoopBranch) {
  auto* m = load(R"((module
    (func (export "down") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (i32.const 3)))
        (local.set 0 (i32.add (local.get 0) (i32.const -1)))
        (br_if $l (local.get 0)))                                   ;; step then branch if nonzero
      (local.get 1))
    (func (export "up_to") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get 1) (local.get 0))))          ;; compared with a slot
      (local.get 1))
    (func (export "signed_imm") (result i32) (local i32)
      (local.set 0 (i32.const -10))
      (loop $l
        (local.set 0 (i32.add (local.get 0) (i32.const 2)))
        (br_if $l (i32.lt_s (local.get 0) (i32.const 5))))         ;; signed compare, immediate
      (local.get 0))
  ))");
  EXPECT_EQ(call_int(m, "down", {V::i32(7)}), 21);
  EXPECT_EQ(call_int(m, "up_to", {V::i32(10)}), 10);
  EXPECT_EQ(call_int(m, "up_to", {V::i32(0)}), 1);  // runs once, then 1 < 0 is false
  EXPECT_EQ(call_int(m, "signed_imm"), 6);
}

TEST_F(EngineTest, ConstantsInFrameSlotsInsideLoops) {
  auto* m = load(R"((module
    (func $sum (export "sum") (param i32) (result f64) (local f64)
      (loop $l
        (local.set 1 (f64.add (f64.mul (local.get 1) (f64.const 0.5)) (f64.const 1.25)))
        (local.set 0 (i32.add (local.get 0) (i32.const -1)))
        (br_if $l (local.get 0)))
      (local.get 1))
    (func (export "wide") (param i64) (result i64)
      (loop $l (result i64)
        (i64.xor (local.get 0) (i64.const 0x123456789abcdef0))))
    (func (export "nested") (result f64)
      ;; a callee with its own constant slots must not disturb the caller's
      (f64.add (call $sum (i32.const 3)) (f64.mul (call $sum (i32.const 1)) (f64.const 0.5))))
  ))");
  double x = 0;
  for (int i = 0; i < 3; ++i) x = x * 0.5 + 1.25;
  auto r = call(m, "sum", {V::i32(3)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].as_f64(), x);
  EXPECT_EQ(call_int(m, "wide", {V::i64(0)}), static_cast<int64_t>(0x123456789abcdef0));
  auto n = call(m, "nested");
  ASSERT_TRUE(n);
  EXPECT_EQ((*n)[0].as_f64(), x + 1.25 * 0.5);
}

TEST_F(EngineTest, FusedIntegerLoads) {
  auto* m = load(R"((module
    (memory 1)
    (data (i32.const 0) "\01\00\00\00\10\00\00\00")
    (func (export "sum") (param i32 i32) (result i32)
      (i32.add (i32.load (local.get 0)) (local.get 1)))                    ;; load on the left
    (func (export "xor_ai") (param i32 i32) (result i32)
      (i32.xor (local.get 1) (i32.load offset=2 (i32.add (local.get 0) (i32.const 2)))))
    (func (export "wrapped") (param i32) (result i32)
      (i32.add (i32.const 7) (i32.load (i32.add (local.get 0) (i32.const 4)))))
  ))");
  EXPECT_EQ(call_int(m, "sum", {V::i32(4), V::i32(5)}), 0x10 + 5);
  EXPECT_EQ(call_int(m, "xor_ai", {V::i32(0), V::i32(0xff)}), 0x10 ^ 0xff);  // 0 + 2 + 2 = 4
  EXPECT_EQ(call_int(m, "xor_ai", {V::i32(-2), V::i32(0)}), 0x00100000);     // -2 + 2 wraps to 0
  // -4 + 2 wraps to 2^32 - 2; the static offset is added without wrapping: out of bounds.
  EXPECT_EQ(trap_of(m, "xor_ai", {V::i32(-4), V::i32(0)}), "out of bounds memory access");
  EXPECT_EQ(trap_of(m, "sum", {V::i32(65533), V::i32(0)}), "out of bounds memory access");
  EXPECT_EQ(trap_of(m, "xor_ai", {V::i32(65532), V::i32(0)}), "out of bounds memory access");
  EXPECT_EQ(call_int(m, "wrapped", {V::i32(-4)}), 8);  // constant left, load right
}

}  // namespace
}  // namespace lantern::engine
