// Globals, select, drop, local.tee, zero-initialised locals, large frames and deep operand stacks,
// and multi-value blocks, loops and branches fed from locals and constants.
#include <string>
#include <vector>

#include "engine/engine_fixture.h"

namespace lantern::engine {
namespace {

using V = Value;

TEST_F(EngineTest, GlobalsMutableImmutableImportedAndExported) {
  auto* base = store.add_global({ValType::I32, false}, V::i32(1000));
  auto* counter = store.add_global({ValType::I64, true}, V::i64(5));
  linker.define("env", "base", Extern::of(base));
  linker.define("env", "counter", Extern::of(counter));
  auto* m = load(R"((module
    (import "env" "base" (global $base i32))
    (import "env" "counter" (global $counter (mut i64)))
    (global $derived i32 (global.get $base))
    (global $m_i32 (mut i32) (i32.const -5))
    (global $m_f32 (mut f32) (f32.const 1.5))
    (global $m_f64 (mut f64) (f64.const -2.25))
    (global (export "pi") f64 (f64.const 3.25))
    (global $exp (export "exp_mut") (mut i32) (i32.const 40))
    (global (export "big") i64 (i64.const -0x123456789))
    (global $fref funcref (ref.func $seven))
    (type $v2i (func (result i32)))
    (table 1 funcref)
    (func $seven (result i32) (i32.const 7))
    (func (export "derived") (result i32) (global.get $derived))
    (func (export "bump") (param i64) (result i64)
      (global.set $counter (i64.add (global.get $counter) (local.get 0)))
      (global.get $counter))
    (func (export "i32_cycle") (result i32)
      (global.set $m_i32 (i32.mul (global.get $m_i32) (i32.const 3)))
      (global.get $m_i32))
    (func (export "f32_payload") (result i32)
      ;; a signalling NaN keeps its bits through global.set/global.get
      (global.set $m_f32 (f32.reinterpret_i32 (i32.const 0x7fa00001)))
      (i32.reinterpret_f32 (global.get $m_f32)))
    (func (export "f64_half") (result f64)
      (global.set $m_f64 (f64.mul (global.get $m_f64) (f64.const 0.5)))
      (global.get $m_f64))
    (func (export "exp_inc") (result i32)
      (global.set $exp (i32.add (global.get $exp) (i32.const 1))) (global.get $exp))
    (func (export "call_fref") (result i32)
      (table.set 0 (i32.const 0) (global.get $fref))
      (call_indirect (type $v2i) (i32.const 0)))
  ))");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(call_int(m, "derived"), 1000);
  EXPECT_EQ(call_int(m, "bump", {V::i64(10)}), 15);
  EXPECT_EQ(counter->get().as_i64(), 15);  // the import is shared, not copied
  counter->bits = static_cast<uint64_t>(int64_t{-100});
  EXPECT_EQ(call_int(m, "bump", {V::i64(1)}), -99);
  EXPECT_EQ(call_int(m, "i32_cycle"), -15);
  EXPECT_EQ(call_int(m, "i32_cycle"), -45);
  EXPECT_EQ(call_int(m, "f32_payload"), 0x7fa00001);
  auto half = call(m, "f64_half");
  ASSERT_TRUE(half);
  EXPECT_EQ((*half)[0].as_f64(), -1.125);
  EXPECT_EQ(call_int(m, "call_fref"), 7);

  const Extern* pi = m->find_export("pi");
  ASSERT_NE(pi, nullptr);
  ASSERT_EQ(pi->kind, wasm::ExternKind::Global);
  EXPECT_EQ(pi->global->get().type, ValType::F64);
  EXPECT_EQ(pi->global->get().as_f64(), 3.25);
  EXPECT_FALSE(pi->global->type.is_mutable);
  const Extern* big = m->find_export("big");
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->global->get().as_i64(), -0x123456789LL);
  const Extern* exp = m->find_export("exp_mut");
  ASSERT_NE(exp, nullptr);
  EXPECT_TRUE(exp->global->type.is_mutable);
  EXPECT_EQ(call_int(m, "exp_inc"), 41);
  EXPECT_EQ(exp->global->get().as_i32(), 41);
  exp->global->bits = static_cast<uint32_t>(-7);
  EXPECT_EQ(call_int(m, "exp_inc"), -6);
  EXPECT_EQ(exp->global->get().type, ValType::I32);
  EXPECT_EQ(exp->global->get().bits, 0xfffffffau);
}

TEST_F(EngineTest, SelectOfEveryType) {
  auto* m = load(R"((module
    (func $f)
    (elem declare func $f)
    (func (export "i32") (param i32 i32 i32) (result i32) (select (local.get 0) (local.get 1) (local.get 2)))
    (func (export "i64") (param i64 i64 i32) (result i64) (select (local.get 0) (local.get 1) (local.get 2)))
    (func (export "f32") (param f32 f32 i32) (result f32) (select (result f32) (local.get 0) (local.get 1) (local.get 2)))
    (func (export "f64") (param f64 f64 i32) (result f64) (select (local.get 0) (local.get 1) (local.get 2)))
    (func (export "funcref_is_null") (param i32) (result i32)
      (ref.is_null (select (result funcref) (ref.func $f) (ref.null func) (local.get 0))))
    (func (export "externref") (param externref externref i32) (result externref)
      (select (result externref) (local.get 0) (local.get 1) (local.get 2)))
    (func (export "consts") (param i32) (result i64) (select (i64.const -1) (i64.const 0x100000000) (local.get 0)))
    (func (export "same") (param i32 i32) (result i32) (select (local.get 0) (local.get 0) (local.get 1)))
    (func (export "into_operand") (param i32 i32 i32) (result i32)
      (local.set 0 (select (local.get 1) (local.get 0) (local.get 2))) (local.get 0))
    (func (export "cond_from_compare") (param i64 i64) (result i64)
      (select (local.get 0) (local.get 1) (i64.lt_s (local.get 0) (local.get 1))))
  ))");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(call_int(m, "i32", {V::i32(1), V::i32(2), V::i32(1)}), 1);
  EXPECT_EQ(call_int(m, "i32", {V::i32(1), V::i32(2), V::i32(0)}), 2);
  EXPECT_EQ(call_int(m, "i32", {V::i32(1), V::i32(2), V::i32(INT32_MIN)}), 1);  // any non-zero
  EXPECT_EQ(call_int(m, "i64", {V::i64(INT64_MIN), V::i64(3), V::i32(-1)}), INT64_MIN);
  EXPECT_EQ(call_int(m, "i64", {V::i64(INT64_MIN), V::i64(0x100000000), V::i32(0)}), 0x100000000);
  auto f32 = call(m, "f32", {V::f32_bits(0x7fa00001), V::f32(2.0f), V::i32(1)});
  ASSERT_TRUE(f32);
  EXPECT_EQ((*f32)[0].bits & 0xffffffffu, 0x7fa00001u);  // select never touches the bits
  auto f64 = call(m, "f64", {V::f64(1.0), V::f64_bits(0xfff4000000000001), V::i32(0)});
  ASSERT_TRUE(f64);
  EXPECT_EQ((*f64)[0].bits, 0xfff4000000000001u);
  EXPECT_EQ(call_int(m, "funcref_is_null", {V::i32(1)}), 0);
  EXPECT_EQ(call_int(m, "funcref_is_null", {V::i32(0)}), 1);
  auto ext = call(m, "externref", {V::externref(11), V::externref(22), V::i32(0)});
  ASSERT_TRUE(ext);
  EXPECT_EQ((*ext)[0].bits, 22u);
  auto ext_null = call(m, "externref", {V::null(ValType::ExternRef), V::externref(22), V::i32(5)});
  ASSERT_TRUE(ext_null);
  EXPECT_TRUE((*ext_null)[0].is_null());
  EXPECT_EQ(call_int(m, "consts", {V::i32(7)}), -1);
  EXPECT_EQ(call_int(m, "consts", {V::i32(0)}), 0x100000000);
  EXPECT_EQ(call_int(m, "same", {V::i32(9), V::i32(0)}), 9);
  EXPECT_EQ(call_int(m, "into_operand", {V::i32(1), V::i32(2), V::i32(1)}), 2);
  EXPECT_EQ(call_int(m, "into_operand", {V::i32(1), V::i32(2), V::i32(0)}), 1);
  EXPECT_EQ(call_int(m, "cond_from_compare", {V::i64(-3), V::i64(2)}), -3);  // min
  EXPECT_EQ(call_int(m, "cond_from_compare", {V::i64(3), V::i64(-2)}), -2);
}

TEST_F(EngineTest, DropKeepsSideEffectsAndTraps) {
  auto* m = load(R"((module
    (global $calls (mut i32) (i32.const 0))
    (func $count (result i32) (global.set $calls (i32.add (global.get $calls) (i32.const 1))) (global.get $calls))
    (func (export "drops") (result i32)
      (drop (i32.const 1)) (drop (call $count)) (drop (f64.const 2)) (drop (call $count))
      (global.get $calls))
    (func (export "drop_div") (param i32) (result i32)
      (drop (i32.div_s (i32.const 1) (local.get 0))) (i32.const 5))
    (func (export "drop_trunc") (param f32)
      (drop (i32.trunc_f32_s (local.get 0))))
  ))");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(call_int(m, "drops"), 2);
  EXPECT_EQ(call_int(m, "drop_div", {V::i32(1)}), 5);
  EXPECT_EQ(trap_of(m, "drop_div", {V::i32(0)}), "integer divide by zero");
  EXPECT_EQ(trap_of(m, "drop_trunc", {V::f32(3e9f)}), "integer overflow");
}

TEST_F(EngineTest, LocalTeeChains) {
  auto* m = load(R"((module
    (func (export "chain") (param i32) (result i32) (local i32 i32)
      (drop (local.tee 0 (local.tee 1 (local.tee 2 (i32.const 9)))))
      (i32.add (i32.mul (local.get 0) (i32.const 100)) (i32.add (i32.mul (local.get 1) (i32.const 10)) (local.get 2))))
    (func (export "tee_self") (param i64) (result i64)
      ;; x = (x = x * 2) + x
      (local.set 0 (i64.add (local.tee 0 (i64.mul (local.get 0) (i64.const 2))) (local.get 0)))
      (local.get 0))
    (func (export "tee_in_compare") (param f64) (result i32) (local f64)
      (i32.and (f64.gt (local.tee 1 (f64.mul (local.get 0) (local.get 0))) (f64.const 10))
               (f64.eq (local.get 1) (f64.const 16))))
  ))");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(call_int(m, "chain", {V::i32(1)}), 999);
  EXPECT_EQ(call_int(m, "tee_self", {V::i64(0x40000000)}), 0x100000000);
  EXPECT_EQ(call_int(m, "tee_in_compare", {V::f64(4.0)}), 1);
  EXPECT_EQ(call_int(m, "tee_in_compare", {V::f64(-4.0)}), 1);
  EXPECT_EQ(call_int(m, "tee_in_compare", {V::f64(3.0)}), 0);
}

// Every call starts with zeroed locals, even when the previous frame at the same stack position
// (an earlier call, a sibling call or a recursive caller) left other values there.
TEST_F(EngineTest, LocalsStartAtZeroOnEveryCall) {
  auto* m = load(R"((module
    (func $f)
    (elem declare func $f)
    (func $all_zero (export "all_zero") (param externref) (result i32)
      (local $a i32) (local $b i64) (local $c f32) (local $d f64) (local $e funcref) (local $x externref)
      (local $v0 i64) (local $v1 i64) (local $v2 i64) (local $v3 i64)
      (i32.and (i32.and (i32.and (i32.eqz (local.get $a)) (i64.eqz (local.get $b)))
                        (i32.and (i32.eqz (i32.reinterpret_f32 (local.get $c)))
                                 (i64.eqz (i64.reinterpret_f64 (local.get $d)))))
               (i32.and (i32.and (ref.is_null (local.get $e)) (ref.is_null (local.get $x)))
                        (i64.eqz (i64.or (i64.or (local.get $v0) (local.get $v1))
                                         (i64.or (local.get $v2) (local.get $v3))))))
      ;; now leave garbage behind in every local
      (local.set $a (i32.const -1)) (local.set $b (i64.const -1))
      (local.set $c (f32.const -nan:0x1)) (local.set $d (f64.const -0))
      (local.set $e (ref.func $f)) (local.set $x (local.get 0))
      (local.set $v0 (i64.const -1)) (local.set $v1 (i64.const -1))
      (local.set $v2 (i64.const -1)) (local.set $v3 (i64.const -1)))
    (func $scribble (param i64) (result i64) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
      ;; fills its frame and a deep operand stack with non-zero values
      (local.set 1 (local.get 0)) (local.set 2 (local.get 0)) (local.set 3 (local.get 0))
      (local.set 4 (local.get 0)) (local.set 5 (local.get 0)) (local.set 6 (local.get 0))
      (local.set 7 (local.get 0)) (local.set 8 (local.get 0)) (local.set 9 (local.get 0))
      (local.set 10 (local.get 0))
      (i64.add (i64.add (i64.add (local.get 1) (local.get 2)) (i64.add (local.get 3) (local.get 4)))
               (i64.add (i64.add (local.get 5) (local.get 6)) (i64.add (local.get 7) (local.get 8)))))
    (func $never_written (result i64) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
      (i64.or (i64.or (i64.or (local.get 0) (local.get 1)) (i64.or (local.get 2) (local.get 3)))
              (i64.or (i64.or (local.get 4) (local.get 5)) (i64.or (local.get 9) (local.get 8)))))
    (func (export "sibling") (result i64)
      (drop (call $scribble (i64.const -1)))
      (call $never_written))
    (func $rec (export "rec") (param $n i32) (result i32) (local $x i64) (local $y f64)
      (if (result i32) (i32.or (i64.ne (local.get $x) (i64.const 0))
                               (f64.ne (local.get $y) (f64.const 0)))
        (then (i32.const 0))
        (else
          (local.set $x (i64.const -1)) (local.set $y (f64.const 1))
          (if (result i32) (local.get $n)
            (then (call $rec (i32.sub (local.get $n) (i32.const 1))))
            (else (i32.const 1))))))
  ))");
  ASSERT_NE(m, nullptr);
  const V ref = V::externref(0x55);
  EXPECT_EQ(call_int(m, "all_zero", {ref}), 1);
  EXPECT_EQ(call_int(m, "all_zero", {ref}), 1);  // the second call must see zeros again
  EXPECT_EQ(call_int(m, "sibling"), 0);
  EXPECT_EQ(call_int(m, "all_zero", {ref}), 1);
  EXPECT_EQ(call_int(m, "rec", {V::i32(50)}), 1);
  EXPECT_EQ(call_int(m, "sibling"), 0);
}

// A frame with hundreds of locals kept across a call, and long operand stacks.
TEST_F(EngineTest, ManyLocalsAndDeepOperandStacks) {
  const int kLocals = 300, kDepth = 1000, kSubDepth = 400;
  std::string wat = "(module\n";
  wat += "(func $clobber (local i64 i64 i64 i64 i64 i64 i64 i64)\n";
  for (int i = 0; i < 8; ++i) wat += "(local.set " + std::to_string(i) + " (i64.const -1))";
  wat += ")\n";
  wat += "(func (export \"many_locals\") (result i64)";
  for (int i = 0; i < kLocals; ++i) wat += i % 2 ? " (local i64)" : " (local i32)";
  wat += "\n";
  for (int i = 0; i < kLocals; ++i) {
    std::string type = i % 2 ? "i64" : "i32";
    wat += "(local.set " + std::to_string(i) + " (" + type + ".const " + std::to_string(3 * i + 1) + "))";
  }
  wat += "\n(call $clobber)\n(i64.const 0)";
  for (int i = 0; i < kLocals; ++i) {
    wat += i % 2 ? " (local.get " + std::to_string(i) + ") (i64.add)"
                 : " (local.get " + std::to_string(i) + ") (i64.extend_i32_u) (i64.add)";
  }
  wat += ")\n(func (export \"deep_add\") (result i32)";
  for (int i = 1; i <= kDepth; ++i) wat += " (i32.const " + std::to_string(i) + ")";
  for (int i = 1; i < kDepth; ++i) wat += " (i32.add)";
  wat += ")\n(func (export \"deep_sub\") (result i64)";
  for (int i = 1; i <= kSubDepth; ++i) wat += " (i64.const " + std::to_string(i) + ")";
  for (int i = 1; i < kSubDepth; ++i) wat += " (i64.sub)";
  wat += ")\n(func $digits (param i32 i32 i32) (result i32)"
         " (i32.add (i32.mul (local.get 0) (i32.const 10000))"
         " (i32.add (i32.mul (local.get 1) (i32.const 100)) (local.get 2))))\n";
  wat += "(func (export \"deep_call\") (result i32)";
  for (int i = 1; i <= 100; ++i) wat += " (i32.const " + std::to_string(i) + ")";
  wat += " (call $digits)";
  for (int i = 1; i < 98; ++i) wat += " (i32.add)";
  wat += ")\n(func (export \"nested_blocks\") (param i32) (result i32)";
  for (int i = 0; i < 100; ++i) wat += " (block (result i32)";
  wat += " (br_if 99 (i32.const 7) (local.get 0)) (drop) (i32.const 8)";
  for (int i = 0; i < 100; ++i) wat += " (i32.add (i32.const 1)))";
  wat += ")\n)";
  auto* m = load(wat);
  ASSERT_NE(m, nullptr);
  // sum over i < 300 of (3i + 1) = 3 * 300 * 299 / 2 + 300
  EXPECT_EQ(call_int(m, "many_locals"), 134850);
  EXPECT_EQ(call_int(m, "deep_add"), 500500);
  EXPECT_EQ(call_int(m, "deep_sub"), -200);  // 1 - 2 + 3 - ... - 400
  // 1 + ... + 97 plus digits(98, 99, 100) = 4753 + 980000 + 9900 + 100
  EXPECT_EQ(call_int(m, "deep_call"), 994753);
  EXPECT_EQ(call_int(m, "nested_blocks", {V::i32(1)}), 7);
  EXPECT_EQ(call_int(m, "nested_blocks", {V::i32(0)}), 108);
}

TEST_F(EngineTest, MultiValueBlocksLoopsAndBranches) {
  auto* m = load(R"((module
    (func (export "block_br_if") (param $a i32) (param $c i32) (result i32 i64)
      (block $b (result i32 i64)
        (local.get $a) (i64.const 7)
        (block (param i32 i64) (result i32 i64)
          (br_if $b (local.get $c))   ;; leaves with (a, 7)
          (drop) (drop)
          (i32.const -1) (i64.extend_i32_s (local.get $a)))))
    (func (export "br_consts") (param i32) (result i32 i64)
      (block $b (result i32 i64)
        (if (local.get 0) (then (br $b (i32.const 3) (i64.const -9))))
        (local.get 0) (i64.const 0x100000000)))
    (func (export "fib_loop") (param $n i32) (result i64) (local $a i64) (local $b i64)
      (i64.const 0) (i64.const 1) (local.get $n)
      (loop $l (param i64 i64 i32) (result i64)
        (local.set $n) (local.set $b) (local.set $a)
        (if (result i64) (i32.eqz (local.get $n))
          (then (local.get $a))
          (else
            (local.get $b) (i64.add (local.get $a) (local.get $b))
            (i32.sub (local.get $n) (i32.const 1))
            (br $l)))))
    (func (export "br_table_pair") (param i32) (result i32 i64)
      (block $a (result i32 i64)
        (block $b (result i32 i64)
          (i32.const 1) (i64.const 10) (local.get 0) (br_table $a $b))
        (i64.add (i64.const 100))))
    (func (export "if_params") (param i32 i32) (result i32)
      (local.get 0)
      (if (param i32) (result i32) (local.get 1)
        (then (i32.add (i32.const 1)))
        (else (i32.sub (i32.const 1)))))
    (func $three (param i32) (result i32 i64 f64)
      (local.get 0) (i64.extend_i32_s (local.get 0)) (f64.convert_i32_s (local.get 0)))
    (func (export "three") (param i32) (result i32 i64 f64) (call $three (local.get 0)))
    (func (export "three_into_locals") (param i32) (result f64) (local i32 i64 f64)
      (call $three (local.get 0)) (local.set 3) (local.set 2) (local.set 1)
      (f64.add (local.get 3)
        (f64.convert_i64_s (i64.add (local.get 2) (i64.extend_i32_s (local.get 1))))))
  ))");
  ASSERT_NE(m, nullptr);
  auto pair = [&](const std::string& name, std::vector<Value> args) -> std::pair<int64_t, int64_t> {
    auto r = call(m, name, std::move(args));
    EXPECT_TRUE(r) << name;
    if (!r || r->size() != 2) return {-999, -999};
    return {(*r)[0].as_i32(), (*r)[1].as_i64()};
  };
  using P = std::pair<int64_t, int64_t>;
  EXPECT_EQ(pair("block_br_if", {V::i32(5), V::i32(1)}), (P{5, 7}));
  EXPECT_EQ(pair("block_br_if", {V::i32(5), V::i32(0)}), (P{-1, 5}));
  EXPECT_EQ(pair("br_consts", {V::i32(1)}), (P{3, -9}));
  EXPECT_EQ(pair("br_consts", {V::i32(0)}), (P{0, 0x100000000}));
  EXPECT_EQ(call_int(m, "fib_loop", {V::i32(10)}), 55);
  EXPECT_EQ(call_int(m, "fib_loop", {V::i32(90)}), 2880067194370816120LL);
  EXPECT_EQ(pair("br_table_pair", {V::i32(0)}), (P{1, 10}));
  EXPECT_EQ(pair("br_table_pair", {V::i32(1)}), (P{1, 110}));
  EXPECT_EQ(pair("br_table_pair", {V::i32(-1)}), (P{1, 110}));
  EXPECT_EQ(call_int(m, "if_params", {V::i32(10), V::i32(1)}), 11);
  EXPECT_EQ(call_int(m, "if_params", {V::i32(10), V::i32(0)}), 9);
  auto three = call(m, "three", {V::i32(-4)});
  ASSERT_TRUE(three);
  ASSERT_EQ(three->size(), 3u);
  EXPECT_EQ((*three)[0].type, ValType::I32);
  EXPECT_EQ((*three)[0].as_i32(), -4);
  EXPECT_EQ((*three)[1].type, ValType::I64);
  EXPECT_EQ((*three)[1].as_i64(), -4);
  EXPECT_EQ((*three)[2].type, ValType::F64);
  EXPECT_EQ((*three)[2].as_f64(), -4.0);
  auto sum = call(m, "three_into_locals", {V::i32(6)});
  ASSERT_TRUE(sum);
  EXPECT_EQ((*sum)[0].as_f64(), 18.0);
}

}  // namespace
}  // namespace lantern::engine
