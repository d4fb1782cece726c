// Tables and reference types: table.get/set/size/grow/fill/copy/init, elem.drop, element segment
// modes, several tables, funcref/externref values crossing the host boundary, and instantiation
// that stops at an out-of-bounds active segment.
#include <vector>

#include "engine/engine_fixture.h"

namespace lantern::engine {
namespace {

using V = Value;
const char* const kTableOob = "out of bounds table access";

TEST_F(EngineTest, TableGetSetSizeGrow) {
  auto* m = load(R"((module
    (type $v2i (func (result i32)))
    (table $t 2 5 funcref)
    (func $f1 (export "f1") (result i32) (i32.const 1))
    (func $f2 (result i32) (i32.const 2))
    (elem declare func $f1 $f2)
    (func (export "size") (result i32) (table.size $t))
    (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $f1) (local.get 0)))
    (func (export "grow_null") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
    (func (export "set2") (param i32) (table.set $t (local.get 0) (ref.func $f2)))
    (func (export "set_null") (param i32) (table.set $t (local.get 0) (ref.null func)))
    (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
    (func (export "get") (param i32) (result funcref) (table.get $t (local.get 0)))
    (func (export "call") (param i32) (result i32) (call_indirect $t (type $v2i) (local.get 0)))
    (func (export "ref_func_not_null") (result i32) (ref.is_null (ref.func $f2)))
  ))");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(call_int(m, "size"), 2);
  EXPECT_EQ(call_int(m, "is_null", {V::i32(0)}), 1);
  EXPECT_EQ(call_int(m, "ref_func_not_null"), 0);
  ASSERT_TRUE(call(m, "set2", {V::i32(1)}));
  EXPECT_EQ(call_int(m, "is_null", {V::i32(1)}), 0);
  EXPECT_EQ(call_int(m, "call", {V::i32(1)}), 2);
  EXPECT_EQ(trap_of(m, "is_null", {V::i32(2)}), kTableOob);
  EXPECT_EQ(trap_of(m, "set2", {V::i32(2)}), kTableOob);
  EXPECT_EQ(trap_of(m, "set2", {V::i32(-1)}), kTableOob);

  EXPECT_EQ(call_int(m, "grow", {V::i32(2)}), 2);  // the old size
  EXPECT_EQ(call_int(m, "size"), 4);
  EXPECT_EQ(call_int(m, "call", {V::i32(3)}), 1);  // new entries hold the init value
  EXPECT_EQ(call_int(m, "grow", {V::i32(2)}), -1);  // 6 > max 5
  EXPECT_EQ(call_int(m, "grow", {V::i32(-1)}), -1);
  EXPECT_EQ(call_int(m, "size"), 4);
  EXPECT_EQ(call_int(m, "grow_null", {V::i32(1)}), 4);
  EXPECT_EQ(call_int(m, "is_null", {V::i32(4)}), 1);
  EXPECT_EQ(call_int(m, "grow", {V::i32(0)}), 5);
  EXPECT_EQ(call_int(m, "size"), 5);

  // A funcref returned to the host is the function instance itself.
  auto r = call(m, "get", {V::i32(2)});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].type, ValType::FuncRef);
  EXPECT_EQ((*r)[0].bits, reinterpret_cast<uint64_t>(m->find_function("f1")));
  ASSERT_TRUE(call(m, "set_null", {V::i32(1)}));
  EXPECT_EQ(trap_of(m, "call", {V::i32(1)}), "uninitialized element");
  auto null = call(m, "get", {V::i32(1)});
  ASSERT_TRUE(null);
  EXPECT_TRUE((*null)[0].is_null());
}

class TableBulkTest : public EngineTest {
 protected:
  void SetUp() override {
    m = load(R"((module
      (type $v2i (func (result i32)))
      (table $t 10 funcref)
      (func $a (result i32) (i32.const 10))
      (func $b (result i32) (i32.const 11))
      (func $c (result i32) (i32.const 12))
      (elem $seg func $a $b $c)
      (func (export "fill") (param i32 i32) (table.fill $t (local.get 0) (ref.func $c) (local.get 1)))
      (func (export "fill_null") (param i32 i32) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
      (func (export "copy") (param i32 i32 i32) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
      (func (export "init") (param i32 i32 i32) (table.init $t $seg (local.get 0) (local.get 1) (local.get 2)))
      (func (export "drop") (elem.drop $seg))
      (func (export "id") (param i32) (result i32)
        (if (result i32) (ref.is_null (table.get $t (local.get 0)))
          (then (i32.const -1))
          (else (call_indirect $t (type $v2i) (local.get 0)))))
    ))");
    ASSERT_NE(m, nullptr);
  }
  // What each entry calls to (-1 for null).
  std::vector<int64_t> ids() {
    std::vector<int64_t> out;
    for (int i = 0; i < 10; ++i) out.push_back(call_int(m, "id", {V::i32(i)}));
    return out;
  }
  void ok(const std::string& name, std::vector<Value> args) {
    auto r = call(m, name, std::move(args));
    EXPECT_TRUE(r) << name << ": " << (r ? "" : r.error().message);
  }
  Instance* m = nullptr;
};

TEST_F(TableBulkTest, InitCopyFillWithOverlap) {
  using L = std::vector<int64_t>;
  ok("init", {V::i32(0), V::i32(0), V::i32(3)});
  ok("init", {V::i32(5), V::i32(1), V::i32(2)});
  EXPECT_EQ(ids(), (L{10, 11, 12, -1, -1, 11, 12, -1, -1, -1}));
  ok("copy", {V::i32(1), V::i32(0), V::i32(3)});  // overlapping, destination above the source
  EXPECT_EQ(ids(), (L{10, 10, 11, 12, -1, 11, 12, -1, -1, -1}));
  ok("copy", {V::i32(4), V::i32(5), V::i32(3)});  // overlapping, destination below the source
  EXPECT_EQ(ids(), (L{10, 10, 11, 12, 11, 12, -1, -1, -1, -1}));
  ok("fill", {V::i32(7), V::i32(3)});
  ok("fill_null", {V::i32(0), V::i32(1)});
  EXPECT_EQ(ids(), (L{-1, 10, 11, 12, 11, 12, -1, 12, 12, 12}));
}

TEST_F(TableBulkTest, BoundsAreCheckedBeforeAnyWrite) {
  using L = std::vector<int64_t>;
  ok("init", {V::i32(0), V::i32(0), V::i32(3)});
  const L before = {10, 11, 12, -1, -1, -1, -1, -1, -1, -1};
  // Zero-length operations at the very end are fine; one past it is not.
  ok("fill", {V::i32(10), V::i32(0)});
  ok("copy", {V::i32(10), V::i32(10), V::i32(0)});
  ok("init", {V::i32(10), V::i32(3), V::i32(0)});
  EXPECT_EQ(trap_of(m, "fill", {V::i32(11), V::i32(0)}), kTableOob);
  EXPECT_EQ(trap_of(m, "copy", {V::i32(0), V::i32(11), V::i32(0)}), kTableOob);
  EXPECT_EQ(trap_of(m, "init", {V::i32(0), V::i32(4), V::i32(0)}), kTableOob);
  // Partly out of range: trap, and nothing is written.
  EXPECT_EQ(trap_of(m, "fill", {V::i32(8), V::i32(3)}), kTableOob);
  EXPECT_EQ(trap_of(m, "copy", {V::i32(9), V::i32(0), V::i32(2)}), kTableOob);
  EXPECT_EQ(trap_of(m, "copy", {V::i32(0), V::i32(9), V::i32(2)}), kTableOob);
  EXPECT_EQ(trap_of(m, "init", {V::i32(8), V::i32(0), V::i32(3)}), kTableOob);
  EXPECT_EQ(trap_of(m, "init", {V::i32(0), V::i32(2), V::i32(2)}), kTableOob);
  EXPECT_EQ(trap_of(m, "fill", {V::i32(1), V::i32(-1)}), kTableOob);
  EXPECT_EQ(ids(), before);
  EXPECT_EQ(trap_of(m, "id", {V::i32(10)}), kTableOob);
  // A dropped segment has length zero.
  ok("drop", {});
  ok("drop", {});  // dropping twice is allowed
  EXPECT_EQ(trap_of(m, "init", {V::i32(0), V::i32(0), V::i32(1)}), kTableOob);
  ok("init", {V::i32(0), V::i32(0), V::i32(0)});
  EXPECT_EQ(ids(), before);
}

TEST_F(EngineTest, ElementSegmentModes) {
  auto* off = store.add_global({ValType::I32, false}, V::i32(2));
  linker.define("env", "off", Extern::of(off));
  auto* m = load(R"((module
    (import "env" "off" (global $off i32))
    (type $v2i (func (result i32)))
    (table $t 6 funcref)
    (func $a (result i32) (i32.const 1))
    (func $b (result i32) (i32.const 2))
    (func $c (result i32) (i32.const 3))
    (elem $active (i32.const 0) $a)
    (elem $from_global (global.get $off) $b $c)
    (elem $exprs (table $t) (i32.const 4) funcref (ref.func $c) (ref.null func))
    (elem $decl declare func $a)
    (elem $passive funcref (ref.func $b) (ref.null func))
    (func (export "call") (param i32) (result i32) (call_indirect $t (type $v2i) (local.get 0)))
    (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
    (func (export "init_active") (param i32) (table.init $t $active (i32.const 0) (i32.const 0) (local.get 0)))
    (func (export "init_decl") (param i32) (table.init $t $decl (i32.const 0) (i32.const 0) (local.get 0)))
    (func (export "init_passive") (param i32 i32) (table.init $t $passive (local.get 0) (i32.const 0) (local.get 1)))
  ))");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(call_int(m, "call", {V::i32(0)}), 1);
  EXPECT_EQ(trap_of(m, "call", {V::i32(1)}), "uninitialized element");
  EXPECT_EQ(call_int(m, "call", {V::i32(2)}), 2);  // offset from the imported global
  EXPECT_EQ(call_int(m, "call", {V::i32(3)}), 3);
  EXPECT_EQ(call_int(m, "call", {V::i32(4)}), 3);
  EXPECT_EQ(call_int(m, "is_null", {V::i32(5)}), 1);
  EXPECT_EQ(trap_of(m, "call", {V::i32(6)}), "undefined element");
  // Active and declarative segments are dropped once the module is instantiated.
  ASSERT_TRUE(call(m, "init_active", {V::i32(0)}));
  EXPECT_EQ(trap_of(m, "init_active", {V::i32(1)}), kTableOob);
  ASSERT_TRUE(call(m, "init_decl", {V::i32(0)}));
  EXPECT_EQ(trap_of(m, "init_decl", {V::i32(1)}), kTableOob);
  // A passive segment's null entries overwrite.
  ASSERT_TRUE(call(m, "init_passive", {V::i32(0), V::i32(2)}));
  EXPECT_EQ(call_int(m, "call", {V::i32(0)}), 2);
  EXPECT_EQ(call_int(m, "is_null", {V::i32(1)}), 1);
}

TEST_F(EngineTest, MultipleTablesAndCallIndirectThroughTableOne) {
  auto* m = load(R"((module
    (type $v2i (func (result i32)))
    (table $t0 2 funcref)
    (table $t1 3 funcref)
    (func $a (result i32) (i32.const 100))
    (func $b (result i32) (i32.const 200))
    (elem (table $t0) (i32.const 0) func $a)
    (elem (table $t1) (i32.const 2) func $b)
    (func (export "call0") (param i32) (result i32) (call_indirect $t0 (type $v2i) (local.get 0)))
    (func (export "call1") (param i32) (result i32) (call_indirect $t1 (type $v2i) (local.get 0)))
    (func (export "size0") (result i32) (table.size $t0))
    (func (export "size1") (result i32) (table.size $t1))
    (func (export "grow1") (result i32) (table.grow $t1 (ref.null func) (i32.const 1)))
    (func (export "copy_across") (table.copy $t0 $t1 (i32.const 1) (i32.const 2) (i32.const 1)))
    (func (export "set1") (param i32) (table.set $t1 (local.get 0) (table.get $t0 (i32.const 0))))
  ))");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(call_int(m, "call1", {V::i32(2)}), 200);
  EXPECT_EQ(trap_of(m, "call1", {V::i32(0)}), "uninitialized element");
  EXPECT_EQ(trap_of(m, "call1", {V::i32(3)}), "undefined element");
  EXPECT_EQ(call_int(m, "call0", {V::i32(0)}), 100);
  EXPECT_EQ(trap_of(m, "call0", {V::i32(1)}), "uninitialized element");
  EXPECT_EQ(trap_of(m, "call0", {V::i32(2)}), "undefined element");
  ASSERT_TRUE(call(m, "copy_across"));
  EXPECT_EQ(call_int(m, "call0", {V::i32(1)}), 200);
  EXPECT_EQ(call_int(m, "grow1"), 3);
  EXPECT_EQ(call_int(m, "size1"), 4);
  EXPECT_EQ(call_int(m, "size0"), 2);
  EXPECT_EQ(trap_of(m, "call1", {V::i32(3)}), "uninitialized element");
  ASSERT_TRUE(call(m, "set1", {V::i32(3)}));
  EXPECT_EQ(call_int(m, "call1", {V::i32(3)}), 100);
  EXPECT_EQ(call_int(m, "call0", {V::i32(0)}), 100);
}

TEST_F(EngineTest, ExternrefsRoundTripThroughHostTablesAndGlobals) {
  uint64_t host_saw = 0;
  wasm::FuncType ref_to_ref{{ValType::ExternRef}, {ValType::ExternRef}};
  auto* swap = store.add_host_function("env.swap", ref_to_ref, [&](Caller&, uint64_t* slots) {
    host_saw = slots[0];
    slots[0] = 0xbeef;
    return HostStatus{};
  });
  linker.define("env", "swap", Extern::of(swap));
  auto* m = load(R"((module
    (import "env" "swap" (func $swap (param externref) (result externref)))
    (table $e 2 externref)
    (global $g (mut externref) (ref.null extern))
    (func (export "id") (param externref) (result externref) (local.get 0))
    (func (export "stash") (param externref)
      (table.set $e (i32.const 1) (local.get 0)) (global.set $g (local.get 0)))
    (func (export "from_table") (result externref) (table.get $e (i32.const 1)))
    (func (export "from_global") (result externref) (global.get $g))
    (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))
    (func (export "null") (result externref) (ref.null extern))
    (func (export "via_host") (param externref) (result externref) (call $swap (local.get 0)))
    (func (export "grow_with") (param externref) (result i32) (table.grow $e (local.get 0) (i32.const 3)))
    (func (export "at") (param i32) (result externref) (table.get $e (local.get 0)))
  ))");
  ASSERT_NE(m, nullptr);
  auto one = [&](const std::string& name, std::vector<Value> args) -> Value {
    auto r = call(m, name, std::move(args));
    EXPECT_TRUE(r) << name;
    if (!r || r->size() != 1) return V::i32(-1);
    return (*r)[0];
  };
  const V ref = V::externref(0x1234);
  Value got = one("id", {ref});
  EXPECT_EQ(got.type, ValType::ExternRef);
  EXPECT_EQ(got.bits, 0x1234u);
  EXPECT_TRUE(one("from_table", {}).is_null());
  EXPECT_TRUE(one("from_global", {}).is_null());
  ASSERT_TRUE(call(m, "stash", {ref}));
  EXPECT_EQ(one("from_table", {}).bits, 0x1234u);
  EXPECT_EQ(one("from_global", {}).bits, 0x1234u);
  EXPECT_EQ(call_int(m, "is_null", {ref}), 0);
  EXPECT_EQ(call_int(m, "is_null", {V::null(ValType::ExternRef)}), 1);
  EXPECT_TRUE(one("null", {}).is_null());
  EXPECT_EQ(one("via_host", {ref}).bits, 0xbeefu);
  EXPECT_EQ(host_saw, 0x1234u);
  EXPECT_EQ(call_int(m, "grow_with", {V::externref(77)}), 2);
  EXPECT_EQ(one("at", {V::i32(4)}).bits, 77u);
  EXPECT_EQ(m->tables[0]->elems.size(), 5u);
}

// A funcref made by one instance (or the host) can be stored in another's table and called.
TEST_F(EngineTest, FuncrefsFromTheHostAndOtherInstances) {
  auto* twice = add_host_function(store, "env.twice",
                                  host_function([](Caller&, int32_t x) -> int32_t { return 2 * x; }));
  auto* provider = load(R"((module (func (export "inc") (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 1)))))");
  auto* m = load(R"((module
    (type $i2i (func (param i32) (result i32)))
    (table $t 2 funcref)
    (func (export "put") (param i32 funcref) (table.set $t (local.get 0) (local.get 1)))
    (func (export "run") (param i32 i32) (result i32)
      (call_indirect $t (type $i2i) (local.get 1) (local.get 0)))
  ))");
  ASSERT_NE(provider, nullptr);
  ASSERT_NE(m, nullptr);
  ASSERT_TRUE(call(m, "put", {V::i32(0), V::funcref(twice)}));
  ASSERT_TRUE(call(m, "put", {V::i32(1), V::funcref(provider->find_function("inc"))}));
  EXPECT_EQ(call_int(m, "run", {V::i32(0), V::i32(21)}), 42);
  EXPECT_EQ(call_int(m, "run", {V::i32(1), V::i32(41)}), 42);
}

// Spec 2.0: segments are applied in order; a trapping active segment stops instantiation, earlier
// element writes stay, and the data segments (applied after all element segments) never run.
TEST_F(EngineTest, OutOfBoundsActiveSegmentAbortsInstantiationAfterEarlierWrites) {
  TableInst* table = store.add_table({ValType::FuncRef, {3, std::nullopt}});
  auto memory = store.add_memory({{1, std::nullopt}});
  ASSERT_TRUE(memory);
  linker.define("env", "t", Extern::of(table));
  linker.define("env", "mem", Extern::of(*memory));
  auto compiled = load_module(testing::wat_to_wasm(R"((module
    (import "env" "t" (table 3 funcref))
    (import "env" "mem" (memory 1))
    (func $a (result i32) (i32.const 7))
    (elem (i32.const 0) $a)
    (elem (i32.const 2) $a $a)
    (elem (i32.const 1) $a)
    (data (i32.const 0) "x")
  ))"));
  ASSERT_TRUE(compiled);
  auto r = linker.instantiate(store, *compiled);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().phase, Phase::Instantiate);
  EXPECT_EQ(r.error().message, kTableOob);
  ASSERT_EQ(table->elems.size(), 3u);
  EXPECT_NE(table->elems[0], 0u);  // the first segment was applied
  EXPECT_EQ(table->elems[1], 0u);  // the segment after the failing one was not
  EXPECT_EQ(table->elems[2], 0u);  // the failing segment wrote nothing
  EXPECT_EQ((*memory)->data[0], 0);

  // The function written by the aborted instantiation stays callable through the shared table.
  auto user = load(R"((module
    (import "env" "t" (table 3 funcref))
    (type $v2i (func (result i32)))
    (func (export "call0") (result i32) (call_indirect (type $v2i) (i32.const 0)))
  ))");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(call_int(user, "call0"), 7);
}

}  // namespace
}  // namespace lantern::engine
