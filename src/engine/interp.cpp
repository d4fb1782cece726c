// The interpreter: direct-threaded dispatch (computed goto) over lowered code. Wasm-to-Wasm calls
// stay inside one C++ activation (an explicit frame stack), so guest recursion depth is bounded
// by StoreLimits and never by the host stack.
#include <bit>
#include <cmath>
#include <cstring>

#include "code.h"
#include "numeric.h"
#include "runtime.h"

namespace lantern::engine {
namespace {

// Calls a host function with its arguments at `base`; false (with `trap` set) when it fails.
[[gnu::noinline]] bool call_host(Store& store, Store::Runtime& rt, Instance* inst,
                                 const FuncInst& callee, Slot* base, Slot* stack_end, Trap& trap) {
  CallListener* listener = store.listener();
  if (listener) listener->on_enter(callee);
  size_t width = std::max(callee.type.params.size(), callee.type.results.size());
  if (base + width > stack_end) {
    trap = Trap::of(TrapKind::CallStackExhausted);
    return false;
  }
  Slot* saved_top = rt.top;
  rt.top = base + width;
  Caller caller(store, inst);
  HostStatus status = callee.host(caller, &base->u64);
  rt.top = saved_top;
  if (!status) {
    trap = std::move(status).error();
    return false;
  }
  if (listener) listener->on_exit(callee);
  return true;
}

// Lowers a callee on its first call (see CompiledFunction); false (with `trap` set) when the
// lowering fails, which only an internal error can cause: the module has been validated.
[[gnu::noinline]] bool lower_callee(const CompiledModule& module, const CompiledFunction* code,
                                    Trap& trap) {
  auto status = lower_lazily(module, static_cast<uint32_t>(code - module.functions.data()));
  if (status) return true;
  trap = Trap::host("internal error: cannot lower " + module.function_names[code->func_index] +
                    ": " + status.error().to_string());
  return false;
}

// Returns the handler table when asked (func == nullptr), else runs `func`.
Expected<void, Trap> run(Store* store, Store::Runtime* rt, const FuncInst* func, Slot* base,
                         const void* const** handlers_out) {
  static const void* const kHandlers[] = {
#define WASM_OP(name, prefix, code, text, imm, sig, bytes) &&L_W##name,
#include "lantern/wasm/opcodes.def"
#undef WASM_OP
#define IOP(name, units) &&L_##name,
#include "iops.def"
#undef IOP
  };
  static_assert(sizeof(kHandlers) / sizeof(kHandlers[0]) == kIOpCount);
  if (func == nullptr) {
    *handlers_out = kHandlers;
    return {};
  }

  // Return address of the entry frame: a one-instruction stub that leaves the loop.
  uint32_t exit_stub[2];
  const void* exit_handler = &&L_Exit;
  std::memcpy(exit_stub, &exit_handler, sizeof(exit_handler));

  const size_t entry_depth = rt->depth;
  // The frame depth lives in a register; rt->depth is synced around host calls and on exit.
  size_t depth = entry_depth;
  Frame* const frames = rt->frames.get();
  const size_t max_depth = rt->max_frames;
  Slot* const stack_end = rt->stack.get() + rt->stack_slots;
  CallListener* const listener = store->listener();
  std::atomic<bool>& interrupt = store->interrupt_flag();

  const uint32_t* ip = nullptr;
  const uint32_t* ip_next = exit_stub;
  Slot* fp = base;
  Instance* inst = func->instance;
  const FuncInst* cur = nullptr;
  const FuncInst* callee = func;
  Slot* callee_base = base;
  uint8_t* mem = nullptr;
  uint64_t mem_size = 0;
  MemInst* mem0 = nullptr;
  TrapKind trap_kind = TrapKind::Unreachable;
  Trap host_trap;
  bool have_host_trap = false;

#define RELOAD_MEMORY()                                                   \
  do {                                                                    \
    mem0 = inst && !inst->memories.empty() ? inst->memories[0] : nullptr; \
    mem = mem0 ? mem0->data : nullptr;                                    \
    mem_size = mem0 ? mem0->size : 0;                                     \
  } while (0)
#define DISPATCH()                                \
  do {                                            \
    const void* handler_;                         \
    std::memcpy(&handler_, ip, sizeof(handler_)); \
    goto* handler_;                               \
  } while (0)
#define U(i) ip[2 + (i)]
#define S(i) fp[U(i)]
#define NEXT(n)    \
  do {             \
    ip += 2 + (n); \
    DISPATCH();    \
  } while (0)
#define TRAP(kind)              \
  do {                          \
    trap_kind = TrapKind::kind; \
    goto trap;                  \
  } while (0)
// Every loop iterates through a backward branch and every recursion through a call, so those
// are where the interrupt flag is polled (no separate instruction per iteration).
#define POLL_INTERRUPT()                                        \
  do {                                                          \
    if (interrupt.load(std::memory_order_relaxed)) [[unlikely]] \
      TRAP(Interrupted);                                        \
  } while (0)
#define JUMP(off)                                                            \
  do {                                                                       \
    int32_t off_ = static_cast<int32_t>(off);                                \
    if (off_ <= 0 && interrupt.load(std::memory_order_relaxed)) [[unlikely]] \
      TRAP(Interrupted);                                                     \
    ip += off_;                                                              \
    DISPATCH();                                                              \
  } while (0)

  RELOAD_MEMORY();
  goto do_call;

  // ---------------------------------------------------------------- control
L_Exit:
  rt->depth = depth;
  return {};
L_Unreachable:
  TRAP(Unreachable);
L_Copy:
  S(0).u64 = S(1).u64;
  NEXT(2);
L_Copy2:
  S(0).u64 = S(1).u64;
  S(2).u64 = S(3).u64;
  NEXT(4);
L_Const32:
  S(0).u64 = U(1);
  NEXT(2);
L_Const64:
  S(0).u64 = U(1) | (static_cast<uint64_t>(U(2)) << 32);
  NEXT(3);
L_Jump:
  JUMP(U(0));
L_BrIfNez:
  if (S(0).u32 != 0) JUMP(U(1));
  NEXT(2);
L_BrIfEqz:
  if (S(0).u32 == 0) JUMP(U(1));
  NEXT(2);
L_BrTable : {
  uint32_t i = S(0).u32;
  uint32_t n = U(1);
  JUMP(U(2 + (i < n ? i : n)));
}
L_Select:
  S(0).u64 = S(3).u32 ? S(1).u64 : S(2).u64;
  NEXT(4);

L_Call:
  callee = inst->funcs[U(0)];
  callee_base = fp + U(1);
  ip_next = ip + 4;
  goto do_call;
L_CallInternal : {
  const CompiledFunction* code;
  std::memcpy(&code, &U(0), sizeof(code));
  Slot* new_fp = fp + U(2);
  // Acquire: once the frame size is real, so are the code and constants read below. A callee
  // not lowered yet has kNotLowered here and fails the check: lower it, then run this again.
  const uint32_t frame_size = code->frame_size.load(std::memory_order_acquire);
  if (depth >= max_depth || new_fp + frame_size > stack_end) [[unlikely]] {
    if (frame_size == CompiledFunction::kNotLowered) {
      if (!lower_callee(*inst->module, code, host_trap)) {
        have_host_trap = true;
        goto trap;
      }
      DISPATCH();
    }
    TRAP(CallStackExhausted);
  }
  POLL_INTERRUPT();
  frames[depth++] = Frame{ip + 6, fp, inst, cur};
  cur = inst->funcs[U(3)];
  fp = new_fp;
  for (uint32_t i = code->num_params; i < code->const_base; ++i) fp[i].u64 = 0;
  if (!code->consts.empty()) [[unlikely]]
    std::memcpy(fp + code->const_base, code->consts.data(), code->consts.size() * sizeof(Slot));
  ip = code->code.data();
  if (listener) [[unlikely]]
    listener->on_enter(*cur);
  DISPATCH();
}
L_CallIndirect : {
  TableInst* table = inst->tables[U(1)];
  uint32_t i = S(2).u32;
  if (i >= table->elems.size()) TRAP(UndefinedElement);
  uint64_t ref = table->elems[i];
  if (ref == 0) TRAP(UninitializedElement);
  callee = reinterpret_cast<const FuncInst*>(ref);
  if (callee->type_id != inst->type_ids[U(0)]) TRAP(IndirectCallTypeMismatch);
  callee_base = fp + U(3);
  ip_next = ip + 6;
  goto do_call;
}
do_call : {
  if (callee->is_host()) {
    rt->depth = depth;
    if (!call_host(*store, *rt, inst, *callee, callee_base, stack_end, host_trap)) {
      have_host_trap = true;
      goto trap;
    }
    RELOAD_MEMORY();
    ip = ip_next;
    DISPATCH();
  }
  const CompiledFunction* code = callee->code;
  const uint32_t frame_size = code->frame_size.load(std::memory_order_acquire);  // see CallInternal
  if (depth >= max_depth || callee_base + frame_size > stack_end) [[unlikely]] {
    if (frame_size == CompiledFunction::kNotLowered) {
      if (!lower_callee(*callee->instance->module, code, host_trap)) {
        have_host_trap = true;
        goto trap;
      }
      goto do_call;
    }
    TRAP(CallStackExhausted);
  }
  POLL_INTERRUPT();
  frames[depth++] = Frame{ip_next, fp, inst, cur};
  fp = callee_base;
  for (uint32_t i = code->num_params; i < code->const_base; ++i) fp[i].u64 = 0;
  if (!code->consts.empty()) [[unlikely]]
    std::memcpy(fp + code->const_base, code->consts.data(), code->consts.size() * sizeof(Slot));
  cur = callee;
  if (callee->instance != inst) {
    inst = callee->instance;
    RELOAD_MEMORY();
  }
  ip = code->code.data();
  if (listener) [[unlikely]]
    listener->on_enter(*cur);
  DISPATCH();
}
L_Return1:
  fp[0].u64 = S(0).u64;
L_Return : {
  if (listener) [[unlikely]]
    listener->on_exit(*cur);
  const Frame& frame = frames[--depth];
  ip = frame.ret_ip;
  fp = frame.fp;
  cur = frame.func;
  if (frame.inst != inst) {
    inst = frame.inst;
    RELOAD_MEMORY();
  } else if (mem0) {
    mem_size = mem0->size;  // the callee may have grown the shared memory
  }
  DISPATCH();
}

  // ---------------------------------------------------------------- variables
L_GlobalGet:
  S(0).u64 = inst->globals[U(1)]->bits;
  NEXT(2);
L_GlobalSet:
  inst->globals[U(1)]->bits = S(0).u64;
  NEXT(2);

  // ---------------------------------------------------------------- references and tables
L_RefIsNullOp:
  S(0).u64 = S(1).u64 == 0 ? 1 : 0;
  NEXT(2);
L_RefFuncOp:
  S(0).u64 = reinterpret_cast<uint64_t>(inst->funcs[U(1)]);
  NEXT(2);
L_TableGet : {
  TableInst* t = inst->tables[U(2)];
  uint32_t i = S(1).u32;
  if (i >= t->elems.size()) TRAP(TableOutOfBounds);
  S(0).u64 = t->elems[i];
  NEXT(3);
}
L_TableSet : {
  TableInst* t = inst->tables[U(0)];
  uint32_t i = S(1).u32;
  if (i >= t->elems.size()) TRAP(TableOutOfBounds);
  t->elems[i] = S(2).u64;
  NEXT(3);
}
L_TableSize:
  S(0).u64 = static_cast<uint32_t>(inst->tables[U(1)]->elems.size());
  NEXT(2);
L_TableGrow : {
  TableInst* t = inst->tables[U(1)];
  int64_t old = t->grow(S(2).u32, S(3).u64);
  S(0).u64 = static_cast<uint32_t>(static_cast<int32_t>(old));
  NEXT(4);
}
L_TableFill : {
  TableInst* t = inst->tables[U(0)];
  uint64_t i = S(1).u32, n = S(3).u32;
  if (i + n > t->elems.size()) TRAP(TableOutOfBounds);
  std::fill_n(t->elems.begin() + static_cast<ptrdiff_t>(i), n, S(2).u64);
  NEXT(4);
}
L_TableCopy : {
  TableInst* dt = inst->tables[U(0)];
  TableInst* st = inst->tables[U(1)];
  uint64_t d = S(2).u32, s = S(3).u32, n = S(4).u32;
  if (d + n > dt->elems.size() || s + n > st->elems.size()) TRAP(TableOutOfBounds);
  if (n) std::memmove(dt->elems.data() + d, st->elems.data() + s, n * sizeof(uint64_t));
  NEXT(5);
}
L_TableInit : {
  TableInst* t = inst->tables[U(0)];
  const std::vector<uint64_t>& seg = inst->elem_segs[U(1)];
  uint64_t d = S(2).u32, s = S(3).u32, n = S(4).u32;
  if (s + n > seg.size() || d + n > t->elems.size()) TRAP(TableOutOfBounds);
  if (n) std::memcpy(t->elems.data() + d, seg.data() + s, n * sizeof(uint64_t));
  NEXT(5);
}
L_ElemDrop:
  inst->elem_segs[U(0)].clear();
  inst->elem_segs[U(0)].shrink_to_fit();
  NEXT(1);

  // ---------------------------------------------------------------- bulk memory
L_MemoryInitOp : {
  std::span<const uint8_t> seg = inst->data_segs[U(0)];
  uint64_t d = S(1).u32, s = S(2).u32, n = S(3).u32;
  if (s + n > seg.size() || d + n > mem_size) TRAP(MemoryOutOfBounds);
  if (n) std::memcpy(mem + d, seg.data() + s, n);
  NEXT(4);
}
L_DataDropOp:
  inst->data_segs[U(0)] = {};
  NEXT(1);
L_MemoryCopyOp : {
  uint64_t d = S(0).u32, s = S(1).u32, n = S(2).u32;
  if (d + n > mem_size || s + n > mem_size) TRAP(MemoryOutOfBounds);
  if (n) std::memmove(mem + d, mem + s, n);
  NEXT(3);
}
L_MemoryFillOp : {
  uint64_t d = S(0).u32, n = S(2).u32;
  if (d + n > mem_size) TRAP(MemoryOutOfBounds);
  if (n) std::memset(mem + d, static_cast<int>(S(1).u32 & 0xFF), n);
  NEXT(3);
}
L_WMemorySize:
  S(0).u64 = mem_size / wasm::kPageSize;
  NEXT(1);
L_WMemoryGrow : {
  MemInst* m = inst->memories[0];
  int64_t old = m->grow(S(1).u32);
  S(0).u64 = static_cast<uint32_t>(static_cast<int32_t>(old));
  RELOAD_MEMORY();
  NEXT(2);
}

// ---------------------------------------------------------------- loads and stores
#define LOAD(name, T, N, widen)                                                         \
  L_W##name : {                                                                         \
    uint64_t ea = static_cast<uint64_t>(S(1).u32) + U(2);                               \
    if (ea + (N) > mem_size) [[unlikely]]                                               \
      TRAP(MemoryOutOfBounds);                                                          \
    T v;                                                                                \
    std::memcpy(&v, mem + ea, N);                                                       \
    S(0).u64 = widen(v);                                                                \
    NEXT(3);                                                                            \
  }                                                                                     \
  L_##name##AddImm : {                                                                  \
    uint64_t ea = static_cast<uint64_t>(static_cast<uint32_t>(S(1).u32 + U(2))) + U(3); \
    if (ea + (N) > mem_size) [[unlikely]]                                               \
      TRAP(MemoryOutOfBounds);                                                          \
    T v;                                                                                \
    std::memcpy(&v, mem + ea, N);                                                       \
    S(0).u64 = widen(v);                                                                \
    NEXT(4);                                                                            \
  }
#define STORE(name, T, N, field)                                                        \
  L_W##name : {                                                                         \
    uint64_t ea = static_cast<uint64_t>(S(0).u32) + U(2);                               \
    if (ea + (N) > mem_size) [[unlikely]]                                               \
      TRAP(MemoryOutOfBounds);                                                          \
    T v = static_cast<T>(S(1).field);                                                   \
    std::memcpy(mem + ea, &v, N);                                                       \
    NEXT(3);                                                                            \
  }                                                                                     \
  L_##name##AddImm : {                                                                  \
    uint64_t ea = static_cast<uint64_t>(static_cast<uint32_t>(S(0).u32 + U(1))) + U(3); \
    if (ea + (N) > mem_size) [[unlikely]]                                               \
      TRAP(MemoryOutOfBounds);                                                          \
    T v = static_cast<T>(S(2).field);                                                   \
    std::memcpy(mem + ea, &v, N);                                                       \
    NEXT(4);                                                                            \
  }
#define ZX32(v) static_cast<uint32_t>(v)
#define SX32(v) static_cast<uint32_t>(static_cast<int32_t>(v))
#define ZX64(v) static_cast<uint64_t>(v)
#define SX64(v) static_cast<uint64_t>(static_cast<int64_t>(v))
  LOAD(I32Load, uint32_t, 4, ZX32)
  LOAD(I64Load, uint64_t, 8, ZX64)
  LOAD(F32Load, uint32_t, 4, ZX32)
  LOAD(F64Load, uint64_t, 8, ZX64)
  LOAD(I32Load8S, int8_t, 1, SX32)
  LOAD(I32Load8U, uint8_t, 1, ZX32)
  LOAD(I32Load16S, int16_t, 2, SX32)
  LOAD(I32Load16U, uint16_t, 2, ZX32)
  LOAD(I64Load8S, int8_t, 1, SX64)
  LOAD(I64Load8U, uint8_t, 1, ZX64)
  LOAD(I64Load16S, int16_t, 2, SX64)
  LOAD(I64Load16U, uint16_t, 2, ZX64)
  LOAD(I64Load32S, int32_t, 4, SX64)
  LOAD(I64Load32U, uint32_t, 4, ZX64)
  STORE(I32Store, uint32_t, 4, u32)
  STORE(I64Store, uint64_t, 8, u64)
  STORE(F32Store, uint32_t, 4, u32)
  STORE(F64Store, uint64_t, 8, u64)
  STORE(I32Store8, uint8_t, 1, u32)
  STORE(I32Store16, uint16_t, 2, u32)
  STORE(I64Store8, uint8_t, 1, u64)
  STORE(I64Store16, uint16_t, 2, u64)
  STORE(I64Store32, uint32_t, 4, u64)

  // ---------------------------------------------------------------- numeric
  // Results are stored zero-extended to 64 bits so slots stay canonical.
#define R32(expr) S(0).u64 = static_cast<uint32_t>(expr)
#define R64(expr) S(0).u64 = static_cast<uint64_t>(expr)
#define RF32(expr) S(0).u64 = std::bit_cast<uint32_t>(static_cast<float>(expr))
#define RF64(expr) S(0).f64 = (expr)
#define UNARY(name, field, result) \
  L_W##name : {                    \
    auto a = S(1).field;           \
    result;                        \
    NEXT(2);                       \
  }
#define BINARY(name, field, result) \
  L_W##name : {                     \
    auto a = S(1).field;            \
    auto b = S(2).field;            \
    result;                         \
    NEXT(3);                        \
  }
#define BINARY_IMM(name, field, immtype, result)               \
  L_##name##Imm : {                                            \
    auto a = S(1).field;                                       \
    auto b = static_cast<immtype>(static_cast<int32_t>(U(2))); \
    result;                                                    \
    NEXT(3);                                                   \
  }
#define BOTH(name, field, immtype, result) \
  BINARY(name, field, result)              \
  BINARY_IMM(name, field, immtype, result)

  UNARY(I32Eqz, u32, R32(a == 0))
  BOTH(I32Eq, u32, uint32_t, R32(a == b))
  BOTH(I32Ne, u32, uint32_t, R32(a != b))
  BOTH(I32LtS, i32, int32_t, R32(a < b))
  BOTH(I32LtU, u32, uint32_t, R32(a < b))
  BOTH(I32GtS, i32, int32_t, R32(a > b))
  BOTH(I32GtU, u32, uint32_t, R32(a > b))
  BOTH(I32LeS, i32, int32_t, R32(a <= b))
  BOTH(I32LeU, u32, uint32_t, R32(a <= b))
  BOTH(I32GeS, i32, int32_t, R32(a >= b))
  BOTH(I32GeU, u32, uint32_t, R32(a >= b))
  UNARY(I64Eqz, u64, R32(a == 0))
  BOTH(I64Eq, u64, int64_t, R32(a == static_cast<uint64_t>(b)))
  BOTH(I64Ne, u64, int64_t, R32(a != static_cast<uint64_t>(b)))
  BOTH(I64LtS, i64, int32_t, R32(a < b))
  BOTH(I64LtU, u64, int64_t, R32(a < static_cast<uint64_t>(b)))
  BOTH(I64GtS, i64, int32_t, R32(a > b))
  BOTH(I64GtU, u64, int64_t, R32(a > static_cast<uint64_t>(b)))
  BOTH(I64LeS, i64, int32_t, R32(a <= b))
  BOTH(I64LeU, u64, int64_t, R32(a <= static_cast<uint64_t>(b)))
  BOTH(I64GeS, i64, int32_t, R32(a >= b))
  BOTH(I64GeU, u64, int64_t, R32(a >= static_cast<uint64_t>(b)))
  BINARY(F32Eq, f32, R32(a == b))
  BINARY(F32Ne, f32, R32(a != b))
  BINARY(F32Lt, f32, R32(a < b))
  BINARY(F32Gt, f32, R32(a > b))
  BINARY(F32Le, f32, R32(a <= b))
  BINARY(F32Ge, f32, R32(a >= b))
  BINARY(F64Eq, f64, R32(a == b))
  BINARY(F64Ne, f64, R32(a != b))
  BINARY(F64Lt, f64, R32(a < b))
  BINARY(F64Gt, f64, R32(a > b))
  BINARY(F64Le, f64, R32(a <= b))
  BINARY(F64Ge, f64, R32(a >= b))

  UNARY(I32Clz, u32, R32(std::countl_zero(a)))
  UNARY(I32Ctz, u32, R32(std::countr_zero(a)))
  UNARY(I32Popcnt, u32, R32(std::popcount(a)))
  BOTH(I32Add, u32, uint32_t, R32(a + b))
  BOTH(I32Sub, u32, uint32_t, R32(a - b))
  BOTH(I32Mul, u32, uint32_t, R32(a * b))
  BOTH(I32And, u32, uint32_t, R32(a & b))
  BOTH(I32Or, u32, uint32_t, R32(a | b))
  BOTH(I32Xor, u32, uint32_t, R32(a ^ b))
  BOTH(I32Shl, u32, uint32_t, R32(a << (b & 31)))
  BOTH(I32ShrS, i32, int32_t, R32(a >> (b & 31)))
  BOTH(I32ShrU, u32, uint32_t, R32(a >> (b & 31)))
  BOTH(I32Rotl, u32, uint32_t, R32(std::rotl(a, static_cast<int>(b & 31))))
  BOTH(I32Rotr, u32, uint32_t, R32(std::rotr(a, static_cast<int>(b & 31))))
  // Division traps on zero; signed division also on MIN / -1, whose remainder is 0.
#define DIV_S(name, field, T, MIN, result)            \
  L_W##name : {                                       \
    T a = S(1).field, b = S(2).field;                 \
    if (b == 0) TRAP(IntegerDivideByZero);            \
    if (a == (MIN) && b == -1) TRAP(IntegerOverflow); \
    result(a / b);                                    \
    NEXT(3);                                          \
  }
#define REM_S(name, field, T, result)      \
  L_W##name : {                            \
    T a = S(1).field, b = S(2).field;      \
    if (b == 0) TRAP(IntegerDivideByZero); \
    result(b == -1 ? 0 : a % b);           \
    NEXT(3);                               \
  }
#define DIVREM_U(name, field, T, op, result) \
  L_W##name : {                              \
    T a = S(1).field, b = S(2).field;        \
    if (b == 0) TRAP(IntegerDivideByZero);   \
    result(a op b);                          \
    NEXT(3);                                 \
  }
  DIV_S(I32DivS, i32, int32_t, INT32_MIN, R32)
  DIVREM_U(I32DivU, u32, uint32_t, /, R32)
  REM_S(I32RemS, i32, int32_t, R32)
  DIVREM_U(I32RemU, u32, uint32_t, %, R32)

  UNARY(I64Clz, u64, R64(std::countl_zero(a)))
  UNARY(I64Ctz, u64, R64(std::countr_zero(a)))
  UNARY(I64Popcnt, u64, R64(std::popcount(a)))
  BOTH(I64Add, u64, int64_t, R64(a + static_cast<uint64_t>(b)))
  BOTH(I64Sub, u64, int64_t, R64(a - static_cast<uint64_t>(b)))
  BOTH(I64Mul, u64, int64_t, R64(a * static_cast<uint64_t>(b)))
  BOTH(I64And, u64, int64_t, R64(a & static_cast<uint64_t>(b)))
  BOTH(I64Or, u64, int64_t, R64(a | static_cast<uint64_t>(b)))
  BOTH(I64Xor, u64, int64_t, R64(a ^ static_cast<uint64_t>(b)))
  BOTH(I64Shl, u64, int64_t, R64(a << (b & 63)))
  BOTH(I64ShrS, i64, int64_t, R64(a >> (b & 63)))
  BOTH(I64ShrU, u64, int64_t, R64(a >> (b & 63)))
  BOTH(I64Rotl, u64, int64_t, R64(std::rotl(a, static_cast<int>(b & 63))))
  BOTH(I64Rotr, u64, int64_t, R64(std::rotr(a, static_cast<int>(b & 63))))
  DIV_S(I64DivS, i64, int64_t, INT64_MIN, R64)
  DIVREM_U(I64DivU, u64, uint64_t, /, R64)
  REM_S(I64RemS, i64, int64_t, R64)
  DIVREM_U(I64RemU, u64, uint64_t, %, R64)

  UNARY(F32Abs, f32, RF32(numeric::fabs_bits(a)))
  UNARY(F32Neg, f32, RF32(numeric::fneg_bits(a)))
  UNARY(F32Ceil, f32, RF32(numeric::fceil(a)))
  UNARY(F32Floor, f32, RF32(numeric::ffloor(a)))
  UNARY(F32Trunc, f32, RF32(numeric::ftrunc(a)))
  UNARY(F32Nearest, f32, RF32(numeric::fnearest(a)))
  UNARY(F32Sqrt, f32, RF32(std::sqrt(a)))
  BINARY(F32Add, f32, RF32(a + b))
  BINARY(F32Sub, f32, RF32(a - b))
  BINARY(F32Mul, f32, RF32(a * b))
  BINARY(F32Div, f32, RF32(a / b))
  BINARY(F32Min, f32, RF32(numeric::fmin(a, b)))
  BINARY(F32Max, f32, RF32(numeric::fmax(a, b)))
  BINARY(F32Copysign, f32, RF32(numeric::fcopysign_bits(a, b)))
  UNARY(F64Abs, f64, RF64(numeric::fabs_bits(a)))
  UNARY(F64Neg, f64, RF64(numeric::fneg_bits(a)))
  UNARY(F64Ceil, f64, RF64(numeric::fceil(a)))
  UNARY(F64Floor, f64, RF64(numeric::ffloor(a)))
  UNARY(F64Trunc, f64, RF64(numeric::ftrunc(a)))
  UNARY(F64Nearest, f64, RF64(numeric::fnearest(a)))
  UNARY(F64Sqrt, f64, RF64(std::sqrt(a)))
  BINARY(F64Add, f64, RF64(a + b))
  BINARY(F64Sub, f64, RF64(a - b))
  BINARY(F64Mul, f64, RF64(a * b))
  BINARY(F64Div, f64, RF64(a / b))
  BINARY(F64Min, f64, RF64(numeric::fmin(a, b)))
  BINARY(F64Max, f64, RF64(numeric::fmax(a, b)))
  BINARY(F64Copysign, f64, RF64(numeric::fcopysign_bits(a, b)))

  // Conversions.
#define TRUNC(name, field, I, result)                          \
  L_W##name : {                                                \
    auto a = S(1).field;                                       \
    if (std::isnan(a)) TRAP(InvalidConversion);                \
    if (!numeric::trunc_in_range<I>(a)) TRAP(IntegerOverflow); \
    result(static_cast<I>(a));                                 \
    NEXT(2);                                                   \
  }
  UNARY(I32WrapI64, u64, R32(a))
  TRUNC(I32TruncF32S, f32, int32_t, R32)
  TRUNC(I32TruncF32U, f32, uint32_t, R32)
  TRUNC(I32TruncF64S, f64, int32_t, R32)
  TRUNC(I32TruncF64U, f64, uint32_t, R32)
  UNARY(I64ExtendI32S, i32, R64(static_cast<int64_t>(a)))
  UNARY(I64ExtendI32U, u32, R64(a))
  TRUNC(I64TruncF32S, f32, int64_t, R64)
  TRUNC(I64TruncF32U, f32, uint64_t, R64)
  TRUNC(I64TruncF64S, f64, int64_t, R64)
  TRUNC(I64TruncF64U, f64, uint64_t, R64)
  UNARY(F32ConvertI32S, i32, RF32(static_cast<float>(a)))
  UNARY(F32ConvertI32U, u32, RF32(static_cast<float>(a)))
  UNARY(F32ConvertI64S, i64, RF32(static_cast<float>(a)))
  UNARY(F32ConvertI64U, u64, RF32(static_cast<float>(a)))
  UNARY(F32DemoteF64, f64, RF32(static_cast<float>(a)))
  UNARY(F64ConvertI32S, i32, RF64(static_cast<double>(a)))
  UNARY(F64ConvertI32U, u32, RF64(static_cast<double>(a)))
  UNARY(F64ConvertI64S, i64, RF64(static_cast<double>(a)))
  UNARY(F64ConvertI64U, u64, RF64(static_cast<double>(a)))
  UNARY(F64PromoteF32, f32, RF64(static_cast<double>(a)))
  UNARY(I32ReinterpretF32, u32, R32(a))
  UNARY(I64ReinterpretF64, u64, R64(a))
  UNARY(F32ReinterpretI32, u32, R32(a))
  UNARY(F64ReinterpretI64, u64, R64(a))
  UNARY(I32Extend8S, u32, R32(static_cast<int32_t>(static_cast<int8_t>(a))))
  UNARY(I32Extend16S, u32, R32(static_cast<int32_t>(static_cast<int16_t>(a))))
  UNARY(I64Extend8S, u64, R64(static_cast<int64_t>(static_cast<int8_t>(a))))
  UNARY(I64Extend16S, u64, R64(static_cast<int64_t>(static_cast<int16_t>(a))))
  UNARY(I64Extend32S, u64, R64(static_cast<int64_t>(static_cast<int32_t>(a))))
  UNARY(I32TruncSatF32S, f32, R32(numeric::trunc_sat<int32_t>(a)))
  UNARY(I32TruncSatF32U, f32, R32(numeric::trunc_sat<uint32_t>(a)))
  UNARY(I32TruncSatF64S, f64, R32(numeric::trunc_sat<int32_t>(a)))
  UNARY(I32TruncSatF64U, f64, R32(numeric::trunc_sat<uint32_t>(a)))
  UNARY(I64TruncSatF32S, f32, R64(numeric::trunc_sat<int64_t>(a)))
  UNARY(I64TruncSatF32U, f32, R64(numeric::trunc_sat<uint64_t>(a)))
  UNARY(I64TruncSatF64S, f64, R64(numeric::trunc_sat<int64_t>(a)))
  UNARY(I64TruncSatF64U, f64, R64(numeric::trunc_sat<uint64_t>(a)))

  // ---------------------------------------------------------------- fused compare-and-branch
#define FUSED(cmp, field32, field64, op)                                                           \
  L_BrIfI32##cmp : if (S(0).field32 op S(1).field32) JUMP(U(2));                                   \
  NEXT(3);                                                                                         \
  L_BrIfI32##cmp##Imm : if (S(0).field32 op static_cast<decltype(S(0).field32)>(U(1))) JUMP(U(2)); \
  NEXT(3);                                                                                         \
  L_BrIfI64##cmp : if (S(0).field64 op S(1).field64) JUMP(U(2));                                   \
  NEXT(3);
  FUSED(Eq, u32, u64, ==)
  FUSED(Ne, u32, u64, !=)
  FUSED(LtS, i32, i64, <)
  FUSED(LtU, u32, u64, <)
  FUSED(GtS, i32, i64, >)
  FUSED(GtU, u32, u64, >)
  FUSED(LeS, i32, i64, <=)
  FUSED(LeU, u32, u64, <=)
  FUSED(GeS, i32, i64, >=)
  FUSED(GeU, u32, u64, >=)

  // ---------------------------------------------------------------- fused f64 pairs
#define F64_Add(x, y) ((x) + (y))
#define F64_Sub(x, y) ((x) - (y))
#define F64_Mul(x, y) ((x) * (y))
#define F64_PAIR(inner, outer)                  \
  L_F64##inner##outer##L : {                    \
    double t = F64_##inner(S(1).f64, S(2).f64); \
    S(0).f64 = F64_##outer(t, S(3).f64);        \
    NEXT(4);                                    \
  }                                             \
  L_F64##inner##outer##R : {                    \
    double t = F64_##inner(S(1).f64, S(2).f64); \
    S(0).f64 = F64_##outer(S(3).f64, t);        \
    NEXT(4);                                    \
  }
  LANTERN_F64_PAIRS(F64_PAIR)
#define F64_LOAD_PAIR(outer)                              \
  L_F64Load##outer##L : {                                 \
    uint64_t ea = static_cast<uint64_t>(S(1).u32) + U(2); \
    if (ea + 8 > mem_size) [[unlikely]]                   \
      TRAP(MemoryOutOfBounds);                            \
    double t;                                             \
    std::memcpy(&t, mem + ea, 8);                         \
    S(0).f64 = F64_##outer(t, S(3).f64);                  \
    NEXT(4);                                              \
  }                                                       \
  L_F64Load##outer##R : {                                 \
    uint64_t ea = static_cast<uint64_t>(S(1).u32) + U(2); \
    if (ea + 8 > mem_size) [[unlikely]]                   \
      TRAP(MemoryOutOfBounds);                            \
    double t;                                             \
    std::memcpy(&t, mem + ea, 8);                         \
    S(0).f64 = F64_##outer(S(3).f64, t);                  \
    NEXT(4);                                              \
  }
  LANTERN_F64_LOAD_PAIRS(F64_LOAD_PAIR)
#define F64_STORE(op)                                     \
  L_F64##op##Store : {                                    \
    uint64_t ea = static_cast<uint64_t>(S(0).u32) + U(3); \
    if (ea + 8 > mem_size) [[unlikely]]                   \
      TRAP(MemoryOutOfBounds);                            \
    double v = F64_##op(S(1).f64, S(2).f64);              \
    std::memcpy(mem + ea, &v, 8);                         \
    NEXT(4);                                              \
  }
  F64_STORE(Add)
  F64_STORE(Sub)
  F64_STORE(Mul)
#define I32_Add(x, y) ((x) + (y))
#define I32_Xor(x, y) ((x) ^ (y))
#define I32_And(x, y) ((x) & (y))
#define I32_Or(x, y) ((x) | (y))
#define I32_RotlImm(x, k) std::rotl(x, static_cast<int>((k)&31))
#define I32_ShrUImm(x, k) ((x) >> ((k)&31))
#define I32_ShlImm(x, k) ((x) << ((k)&31))
#define I32_B_Add S(2).u32
#define I32_B_Xor S(2).u32
#define I32_B_And S(2).u32
#define I32_B_Or S(2).u32
#define I32_B_RotlImm U(2)
#define I32_B_ShrUImm U(2)
#define I32_B_ShlImm U(2)
#define I32_PAIR(inner, outer)                                  \
  L_I32##inner##outer##L : {                                    \
    uint32_t t = I32_##inner(S(1).u32, I32_B_##inner);          \
    S(0).u64 = static_cast<uint32_t>(I32_##outer(t, S(3).u32)); \
    NEXT(4);                                                    \
  }                                                             \
  L_I32##inner##outer##R : {                                    \
    uint32_t t = I32_##inner(S(1).u32, I32_B_##inner);          \
    S(0).u64 = static_cast<uint32_t>(I32_##outer(S(3).u32, t)); \
    NEXT(4);                                                    \
  }
  LANTERN_I32_PAIRS(I32_PAIR)
#define I32_LOAD_PAIR(outer)                                                            \
  L_I32Load##outer##L : {                                                               \
    uint64_t ea = static_cast<uint64_t>(S(1).u32) + U(2);                               \
    if (ea + 4 > mem_size) [[unlikely]]                                                 \
      TRAP(MemoryOutOfBounds);                                                          \
    uint32_t t;                                                                         \
    std::memcpy(&t, mem + ea, 4);                                                       \
    S(0).u64 = static_cast<uint32_t>(I32_##outer(t, S(3).u32));                         \
    NEXT(4);                                                                            \
  }                                                                                     \
  L_I32Load##outer##R : {                                                               \
    uint64_t ea = static_cast<uint64_t>(S(1).u32) + U(2);                               \
    if (ea + 4 > mem_size) [[unlikely]]                                                 \
      TRAP(MemoryOutOfBounds);                                                          \
    uint32_t t;                                                                         \
    std::memcpy(&t, mem + ea, 4);                                                       \
    S(0).u64 = static_cast<uint32_t>(I32_##outer(S(3).u32, t));                         \
    NEXT(4);                                                                            \
  }                                                                                     \
  L_I32LoadAI##outer##L : {                                                             \
    uint64_t ea = static_cast<uint64_t>(static_cast<uint32_t>(S(1).u32 + U(2))) + U(3); \
    if (ea + 4 > mem_size) [[unlikely]]                                                 \
      TRAP(MemoryOutOfBounds);                                                          \
    uint32_t t;                                                                         \
    std::memcpy(&t, mem + ea, 4);                                                       \
    S(0).u64 = static_cast<uint32_t>(I32_##outer(t, S(4).u32));                         \
    NEXT(5);                                                                            \
  }                                                                                     \
  L_I32LoadAI##outer##R : {                                                             \
    uint64_t ea = static_cast<uint64_t>(static_cast<uint32_t>(S(1).u32 + U(2))) + U(3); \
    if (ea + 4 > mem_size) [[unlikely]]                                                 \
      TRAP(MemoryOutOfBounds);                                                          \
    uint32_t t;                                                                         \
    std::memcpy(&t, mem + ea, 4);                                                       \
    S(0).u64 = static_cast<uint32_t>(I32_##outer(S(4).u32, t));                         \
    NEXT(5);                                                                            \
  }
  LANTERN_I32_LOAD_PAIRS(I32_LOAD_PAIR)

  // ---------------------------------------------------------------- counter step + branch
L_AddImmBrIfNez : {
  uint32_t v = S(1).u32 + U(2);
  S(0).u64 = v;
  if (v != 0) JUMP(U(3));
  NEXT(4);
}
L_AddImmBrIfEqz : {
  uint32_t v = S(1).u32 + U(2);
  S(0).u64 = v;
  if (v == 0) JUMP(U(3));
  NEXT(4);
}
#define ADD_BR(cmp, field32, op)                                               \
  L_AddImmBrIfI32##cmp : {                                                     \
    S(0).u64 = static_cast<uint32_t>(S(1).u32 + U(2));                         \
    if (S(0).field32 op S(3).field32) JUMP(U(4));                              \
    NEXT(5);                                                                   \
  }                                                                            \
  L_AddImmBrIfI32##cmp##Imm : {                                                \
    S(0).u64 = static_cast<uint32_t>(S(1).u32 + U(2));                         \
    if (S(0).field32 op static_cast<decltype(S(0).field32)>(U(3))) JUMP(U(4)); \
    NEXT(5);                                                                   \
  }
  ADD_BR(Eq, u32, ==)
  ADD_BR(Ne, u32, !=)
  ADD_BR(LtS, i32, <)
  ADD_BR(LtU, u32, <)
  ADD_BR(GtS, i32, >)
  ADD_BR(GtU, u32, >)
  ADD_BR(LeS, i32, <=)
  ADD_BR(LeU, u32, <=)
  ADD_BR(GeS, i32, >=)
  ADD_BR(GeU, u32, >=)

  // ---------------------------------------------------------------- never dispatched
  // Wasm opcodes that lowering always rewrites into engine instructions.
L_WUnreachable:
L_WNop:
L_WBlock:
L_WLoop:
L_WIf:
L_WElse:
L_WEnd:
L_WBr:
L_WBrIf:
L_WBrTable:
L_WReturn:
L_WCall:
L_WCallIndirect:
L_WDrop:
L_WSelect:
L_WSelectT:
L_WLocalGet:
L_WLocalSet:
L_WLocalTee:
L_WGlobalGet:
L_WGlobalSet:
L_WTableGet:
L_WTableSet:
L_WI32Const:
L_WI64Const:
L_WF32Const:
L_WF64Const:
L_WRefNull:
L_WRefIsNull:
L_WRefFunc:
L_WMemoryInit:
L_WDataDrop:
L_WMemoryCopy:
L_WMemoryFill:
L_WTableInit:
L_WElemDrop:
L_WTableCopy:
L_WTableGrow:
L_WTableSize:
L_WTableFill:
  host_trap = Trap::host("internal error: unlowered instruction");
  have_host_trap = true;
  goto trap;

trap : {
  Trap t = have_host_trap ? std::move(host_trap) : Trap::of(trap_kind);
  // Backtrace: the current function, then the callers of this activation.
  auto add_frame = [&](const FuncInst* f) {
    if (f) t.backtrace.push_back({f->module_index, f->debug_name});
  };
  add_frame(cur);
  if (have_host_trap && callee && callee->is_host())
    t.backtrace.insert(t.backtrace.begin(), {0, callee->debug_name});
  for (size_t d = depth; d > entry_depth + 1; --d) add_frame(frames[d - 1].func);
  rt->depth = entry_depth;
  return Expected<void, Trap>::failure(std::move(t));
}

#undef RELOAD_MEMORY
#undef DISPATCH
#undef U
#undef S
#undef NEXT
#undef TRAP
#undef JUMP
}

}  // namespace

const void* const* interpreter_handlers() {
  const void* const* handlers = nullptr;
  (void)run(nullptr, nullptr, nullptr, nullptr, &handlers);
  return handlers;
}

Expected<void, Trap> execute(Store& store, Store::Runtime& rt, const FuncInst& func, Slot* base) {
  return run(&store, &rt, &func, base, nullptr);
}

}  // namespace lantern::engine
