// Lowering keeps a compile-time model of the Wasm operand stack. Stack position p lives in frame
// slot (num_locals + p); local.get and constants stay lazy (the consumer reads the local or an
// immediate directly), and a comparison feeding br_if/if fuses into one compare-and-branch.
#include "lower.h"

#include <algorithm>
#include <cstring>

#include "lantern/wasm/instr_reader.h"

namespace lantern::engine {
namespace {

using wasm::Opcode;

// Stack: in its home slot. Local: still in a local. Const: an immediate. Cmp: a comparison waiting
// for br_if/if. AddImm: `a + imm` waiting for a load/store to fold it into the address.
// Bin: an f64 add/sub/mul or load, or an i32 add/xor/and/or/rotate/shift, waiting to be fused
// with the next arithmetic instruction that consumes it (for a load, b is the offset).
enum class Kind : uint8_t { Stack, Local, Const, Cmp, AddImm, Bin };

struct Operand {
  Kind kind = Kind::Stack;
  uint32_t local = 0;  // Kind::Local
  uint64_t bits = 0;   // Kind::Const (i32 zero-extended)
  // Kind::Cmp: the comparison waiting for its consumer; Kind::AddImm: a slot, b immediate.
  Opcode cmp = Opcode::Invalid;
  uint32_t a = 0, b = 0;
  uint32_t c = 0;  // Kind::Bin of an i32.load at `a + imm` (b_imm set): the static offset
  bool b_imm = false;
};

struct Fixup {
  size_t unit;   // code unit holding the offset
  size_t start;  // start of the instruction the offset is relative to
};

struct Ctrl {
  Opcode kind = Opcode::Block;  // Block, Loop, If, or End for the function body
  uint32_t height = 0;          // stack size below the block's params
  uint32_t nparams = 0, nresults = 0;
  size_t loop_start = 0;
  std::vector<Fixup> fixups;  // branches to the end of this block
  bool has_else_fixup = false;
  Fixup else_fixup{};
  bool unreachable = false;  // rest of the current body cannot be reached
  bool dead = false;         // the whole construct is in unreachable code
};

constexpr uint32_t kNone = ~0u;

bool fusable_cmp(Opcode op) {
  switch (op) {
    case Opcode::I32Eq:
    case Opcode::I32Ne:
    case Opcode::I32LtS:
    case Opcode::I32LtU:
    case Opcode::I32GtS:
    case Opcode::I32GtU:
    case Opcode::I32LeS:
    case Opcode::I32LeU:
    case Opcode::I32GeS:
    case Opcode::I32GeU:
    case Opcode::I64Eq:
    case Opcode::I64Ne:
    case Opcode::I64LtS:
    case Opcode::I64LtU:
    case Opcode::I64GtS:
    case Opcode::I64GtU:
    case Opcode::I64LeS:
    case Opcode::I64LeU:
    case Opcode::I64GeS:
    case Opcode::I64GeU:
    case Opcode::I32Eqz: return true;
    default: return false;
  }
}

Opcode inverse_cmp(Opcode op) {
  switch (op) {
    case Opcode::I32Eq: return Opcode::I32Ne;
    case Opcode::I32Ne: return Opcode::I32Eq;
    case Opcode::I32LtS: return Opcode::I32GeS;
    case Opcode::I32LtU: return Opcode::I32GeU;
    case Opcode::I32GtS: return Opcode::I32LeS;
    case Opcode::I32GtU: return Opcode::I32LeU;
    case Opcode::I32LeS: return Opcode::I32GtS;
    case Opcode::I32LeU: return Opcode::I32GtU;
    case Opcode::I32GeS: return Opcode::I32LtS;
    case Opcode::I32GeU: return Opcode::I32LtU;
    case Opcode::I64Eq: return Opcode::I64Ne;
    case Opcode::I64Ne: return Opcode::I64Eq;
    case Opcode::I64LtS: return Opcode::I64GeS;
    case Opcode::I64LtU: return Opcode::I64GeU;
    case Opcode::I64GtS: return Opcode::I64LeS;
    case Opcode::I64GtU: return Opcode::I64LeU;
    case Opcode::I64LeS: return Opcode::I64GtS;
    case Opcode::I64LeU: return Opcode::I64GtU;
    case Opcode::I64GeS: return Opcode::I64LtS;
    case Opcode::I64GeU: return Opcode::I64LtU;
    default: return Opcode::Invalid;
  }
}

// Compare-and-branch instruction for a fusable comparison.
IOp fused_branch(Opcode cmp, bool imm) {
#define LANTERN_CASE(c)                                                     \
  case Opcode::I32##c: return imm ? IOp::BrIfI32##c##Imm : IOp::BrIfI32##c; \
  case Opcode::I64##c: return IOp::BrIfI64##c;
  switch (cmp) {
    LANTERN_FUSED_CMP(LANTERN_CASE)
    default: return IOp::Count;
  }
#undef LANTERN_CASE
}

// Counter-step-and-branch form of a conditional branch, or IOp::Count.
IOp add_imm_branch(IOp branch) {
  if (branch == IOp::BrIfNez) return IOp::AddImmBrIfNez;
  if (branch == IOp::BrIfEqz) return IOp::AddImmBrIfEqz;
#define LANTERN_CASE(c)                                        \
  if (branch == IOp::BrIfI32##c) return IOp::AddImmBrIfI32##c; \
  if (branch == IOp::BrIfI32##c##Imm) return IOp::AddImmBrIfI32##c##Imm;
  LANTERN_FUSED_CMP(LANTERN_CASE)
#undef LANTERN_CASE
  return IOp::Count;
}

// Immediate-operand variant of a binary op, or IOp::Count when there is none.
IOp imm_variant(Opcode op) {
#define LANTERN_CASE(o) \
  case Opcode::o: return IOp::o##Imm;
  switch (op) {
    LANTERN_IMM_OPS(LANTERN_CASE)
    default: return IOp::Count;
  }
#undef LANTERN_CASE
}

// Load/store variant taking a `base + imm` address.
IOp address_variant(Opcode op) {
#define LANTERN_CASE(o) \
  case Opcode::o: return IOp::o##AddImm;
  switch (op) {
    LANTERN_LOAD_OPS(LANTERN_CASE)
    LANTERN_STORE_OPS(LANTERN_CASE)
    default: return IOp::Count;
  }
#undef LANTERN_CASE
}

bool is_f64_arith(Opcode op) {
  return op == Opcode::F64Add || op == Opcode::F64Sub || op == Opcode::F64Mul;
}

bool is_i32_outer(Opcode op) {
  return op == Opcode::I32Add || op == Opcode::I32Xor || op == Opcode::I32And ||
         op == Opcode::I32Or;
}
bool is_i32_imm_inner(Opcode op) {
  return op == Opcode::I32Rotl || op == Opcode::I32ShrU || op == Opcode::I32Shl;
}

// The fused instruction computing outer(inner(..), c) (left) or outer(c, inner(..)) (right), or
// IOp::Count when there is none. Inner immediate forms are named after their *Imm variant.
IOp pair_op(Opcode inner, bool inner_imm, Opcode outer, bool left) {
#define LANTERN_CASE(o)                                                       \
  if (inner == Opcode::I32Load && outer == Opcode::I32##o) {                  \
    if (inner_imm) return left ? IOp::I32LoadAI##o##L : IOp::I32LoadAI##o##R; \
    return left ? IOp::I32Load##o##L : IOp::I32Load##o##R;                    \
  }
  LANTERN_I32_LOAD_PAIRS(LANTERN_CASE)
#undef LANTERN_CASE
#define LANTERN_CASE(i, o)                                \
  if (inner == Opcode::F64##i && outer == Opcode::F64##o) \
    return left ? IOp::F64##i##o##L : IOp::F64##i##o##R;
  LANTERN_F64_PAIRS(LANTERN_CASE)
#undef LANTERN_CASE
#define LANTERN_CASE(o)                                    \
  if (inner == Opcode::F64Load && outer == Opcode::F64##o) \
    return left ? IOp::F64Load##o##L : IOp::F64Load##o##R;
  LANTERN_F64_LOAD_PAIRS(LANTERN_CASE)
#undef LANTERN_CASE
#define LANTERN_INNER_OP_Add Opcode::I32Add
#define LANTERN_INNER_OP_Xor Opcode::I32Xor
#define LANTERN_INNER_OP_And Opcode::I32And
#define LANTERN_INNER_OP_Or Opcode::I32Or
#define LANTERN_INNER_OP_RotlImm Opcode::I32Rotl
#define LANTERN_INNER_OP_ShrUImm Opcode::I32ShrU
#define LANTERN_INNER_OP_ShlImm Opcode::I32Shl
#define LANTERN_CASE(i, o)                                      \
  if (inner == LANTERN_INNER_OP_##i && outer == Opcode::I32##o) \
    return left ? IOp::I32##i##o##L : IOp::I32##i##o##R;
  LANTERN_I32_PAIRS(LANTERN_CASE)
#undef LANTERN_CASE
  return IOp::Count;
}

bool is_i64_op(Opcode op) {
  auto s = wasm::info(op).sig;
  return s == wasm::Sig::i_II || s == wasm::Sig::I_II;
}

class Lowerer {
 public:
  Lowerer(const wasm::Module& module, const void* const* handlers,
          const CompiledFunction* functions)
      : module_(module), handlers_(handlers), functions_(functions) {}

  Expected<uint32_t> run(uint32_t defined_index, CompiledFunction& out);

 private:
  // ---- emission ----
  size_t emit(IOp op) {
    last_def_unit_ = kNone;
    last_copy_ = kNone;
    size_t start = code_.size();
    last_op_ = op;
    last_start_ = start;
    const void* handler = handlers_[static_cast<size_t>(op)];
    uint32_t words[2];
    std::memcpy(words, &handler, sizeof(handler));
    code_.push_back(words[0]);
    code_.push_back(words[1]);
    return start;
  }
  void unit(uint32_t v) { code_.push_back(v); }
  // Copies dst <- src; two copies in a row become one Copy2 (they run in order), which saves a
  // dispatch on the register shuffles compilers emit at loop ends.
  void emit_copy(uint32_t dst, uint32_t src) {
    if (last_copy_ != kNone && last_copy_ + 4 == code_.size()) {
      const void* handler = handlers_[static_cast<size_t>(IOp::Copy2)];
      std::memcpy(&code_[last_copy_], &handler, sizeof(handler));
      last_copy_ = kNone;
      last_def_unit_ = static_cast<uint32_t>(code_.size());
      last_def_slot_ = dst;
      unit(dst);
      unit(src);
      return;
    }
    size_t start = emit_def(IOp::Copy, dst);
    unit(src);
    last_copy_ = static_cast<uint32_t>(start);
  }
  // Emits op with dst as its first operand and remembers it for local.set retargeting.
  size_t emit_def(IOp op, uint32_t dst) {
    size_t start = emit(op);
    last_def_unit_ = static_cast<uint32_t>(code_.size());
    last_def_slot_ = dst;
    unit(dst);
    return start;
  }
  void branch_to(Ctrl& target, size_t start) {
    size_t u = code_.size();
    if (target.kind == Opcode::Loop) {
      unit(static_cast<uint32_t>(static_cast<int32_t>(target.loop_start) -
                                 static_cast<int32_t>(start)));
    } else {
      unit(0);
      target.fixups.push_back({u, start});
    }
  }
  void patch(const Fixup& f, size_t target) {
    code_[f.unit] =
        static_cast<uint32_t>(static_cast<int32_t>(target) - static_cast<int32_t>(f.start));
  }
  void label() {
    last_def_unit_ = kNone;
    last_copy_ = kNone;
    last_op_ = IOp::Count;
    zero_locals_.clear();  // a join point: locals may hold anything
  }
  // Declared locals start at zero; until the first join point, setting one that was never
  // written to constant zero (a common compiler prologue) needs no code.
  bool still_zero(uint32_t local) const {
    return local < zero_locals_.size() && zero_locals_[local];
  }
  void written(uint32_t local) {
    if (local < zero_locals_.size()) zero_locals_[local] = false;
  }

  // ---- operand stack ----
  uint32_t home(size_t pos) const { return num_locals_ + static_cast<uint32_t>(pos); }
  void push(Operand op) {
    stack_.push_back(op);
    max_height_ = std::max<uint32_t>(max_height_, static_cast<uint32_t>(stack_.size()));
  }
  void push_stack() { push(Operand{}); }
  void emit_const(uint32_t dst, uint64_t bits) {
    if (bits <= 0xFFFFFFFFu) {
      emit_def(IOp::Const32, dst);
      unit(static_cast<uint32_t>(bits));
    } else {
      emit_def(IOp::Const64, dst);
      unit(static_cast<uint32_t>(bits));
      unit(static_cast<uint32_t>(bits >> 32));
    }
  }
  void emit_cmp_value(const Operand& c, uint32_t dst) {
    if (c.cmp == Opcode::I32Eqz) {
      emit_def(iop_of(Opcode::I32Eqz), dst);
      unit(c.a);
    } else if (c.b_imm) {
      emit_def(imm_variant(c.cmp), dst);
      unit(c.a);
      unit(c.b);
    } else {
      emit_def(iop_of(c.cmp), dst);
      unit(c.a);
      unit(c.b);
    }
  }
  // Puts stack entry `pos` into its home slot.
  void spill(size_t pos) {
    Operand& e = stack_[pos];
    uint32_t h = home(pos);
    switch (e.kind) {
      case Kind::Stack: return;
      case Kind::Local: emit_copy(h, e.local); break;
      case Kind::Const: emit_const(h, e.bits); break;
      case Kind::Cmp: emit_cmp_value(e, h); break;
      case Kind::AddImm: emit_add_imm(e, h); break;
      case Kind::Bin: emit_bin(e, h); break;
    }
    e = Operand{};
  }
  // Makes every lazy entry concrete before control flow forks or loops: a value materialised
  // later inside one arm (or on every loop iteration) would be missing or stale on the others.
  void spill_all() {
    for (size_t i = 0; i < stack_.size(); ++i) spill(i);
  }
  // Materialises pending comparisons/additions except the entry at `keep`. Pending entries only
  // sit above the last entry an emitted instruction produced, so the scan stops there.
  void flush_pending_except(size_t keep) {
    for (size_t i = stack_.size(); i-- > 0;) {
      Kind k = stack_[i].kind;
      if (k == Kind::Stack) break;
      if ((k == Kind::Cmp || k == Kind::AddImm || k == Kind::Bin) && i != keep) spill(i);
    }
  }
  void emit_bin(const Operand& e, uint32_t dst) {
    if (e.cmp == Opcode::I32Load && e.b_imm) {  // load at a + imm, offset c
      emit_def(IOp::I32LoadAddImm, dst);
      unit(e.a);
      unit(e.b);
      unit(e.c);
      return;
    }
    emit_def(e.b_imm ? imm_variant(e.cmp) : iop_of(e.cmp), dst);
    unit(e.a);
    unit(e.b);
  }
  void emit_add_imm(const Operand& e, uint32_t dst) {
    emit_def(IOp::I32AddImm, dst);
    unit(e.a);
    unit(e.b);
  }
  // Slot holding stack entry `pos` (materialising constants).
  uint32_t slot_of(size_t pos) {
    Operand& e = stack_[pos];
    if (e.kind == Kind::Local) return e.local;
    if (e.kind == Kind::Const) {
      uint32_t slot = const_slot(e.bits);
      if (slot != kNone) return slot;
    }
    if (e.kind != Kind::Stack) spill(pos);
    return home(pos);
  }
  // Frame slot preloaded with `bits` on entry, or kNone.
  uint32_t const_slot(uint64_t bits) const {
    for (size_t i = 0; i < consts_.size(); ++i)
      if (consts_[i] == bits) return const_base_ + static_cast<uint32_t>(i);
    return kNone;
  }
  // Functions with loops get their float and wide constants in frame slots (set on entry), so an
  // operand that is a constant costs no instruction inside the loop.
  void collect_constants(const wasm::Function& fn) {
    wasm::InstrReader reader(fn.body, fn.body_offset);
    bool has_loop = false;
    while (!reader.at_end()) {
      auto in = reader.next();
      if (!in) break;  // the validator has accepted the body; nothing to report here
      if (in->op == Opcode::Loop) has_loop = true;
      bool wide = in->op == Opcode::F32Const || in->op == Opcode::F64Const ||
                  (in->op == Opcode::I64Const && in->bits > 0xFFFFFFFFu);
      if (!wide) continue;
      uint64_t bits = in->op == Opcode::F32Const ? static_cast<uint32_t>(in->bits) : in->bits;
      if (consts_.size() < kMaxConstSlots &&
          std::find(consts_.begin(), consts_.end(), bits) == consts_.end())
        consts_.push_back(bits);
    }
    if (!has_loop) consts_.clear();
  }
  uint32_t pop_slot() {
    uint32_t s = slot_of(stack_.size() - 1);
    stack_.pop_back();
    return s;
  }
  // A constant address c with offset o becomes address 0 (the zero slot) with offset c+o when
  // that sum still fits the 32-bit offset field; the effective address is the same.
  bool fold_const_address(size_t pos, uint32_t& offset) const {
    const Operand& e = stack_[pos];
    if (e.kind != Kind::Const) return false;
    uint64_t sum = e.bits + offset;
    if (sum > 0xFFFFFFFFu) return false;
    offset = static_cast<uint32_t>(sum);
    return true;
  }
  void spill_refs_to_local(uint32_t local, size_t below) {
    for (size_t i = 0; i < below; ++i)
      if (stack_[i].kind == Kind::Local && stack_[i].local == local) spill(i);
  }

  // ---- control ----
  void block_arity(const wasm::BlockType& bt, uint32_t& np, uint32_t& nr) const {
    switch (bt.kind) {
      case wasm::BlockType::Kind::Empty:
        np = 0;
        nr = 0;
        break;
      case wasm::BlockType::Kind::Value:
        np = 0;
        nr = 1;
        break;
      case wasm::BlockType::Kind::TypeIndex: {
        const auto& t = module_.types[bt.type_index];
        np = static_cast<uint32_t>(t.params.size());
        nr = static_cast<uint32_t>(t.results.size());
        break;
      }
    }
  }
  uint32_t label_arity(const Ctrl& c) const {
    return c.kind == Opcode::Loop ? c.nparams : c.nresults;
  }
  // True when the top `arity` values already sit in the target's result slots.
  bool in_place(const Ctrl& target, uint32_t arity) const {
    size_t first = stack_.size() - arity;
    for (uint32_t i = 0; i < arity; ++i) {
      const Operand& e = stack_[first + i];
      if (e.kind != Kind::Stack || first + i != target.height + i) return false;
    }
    return true;
  }
  // Writes the top `arity` values into slots dst..dst+arity (ascending order is safe: every source
  // is a local below the operand area or a stack slot at or above its destination).
  void move_top(uint32_t arity, uint32_t dst) {
    size_t first = stack_.size() - arity;
    for (uint32_t i = 0; i < arity; ++i) {
      const Operand& e = stack_[first + i];
      uint32_t d = dst + i;
      switch (e.kind) {
        case Kind::Stack:
          if (home(first + i) != d) {
            emit_copy(d, home(first + i));
          }
          break;
        case Kind::Local: emit_copy(d, e.local); break;
        case Kind::Const: emit_const(d, e.bits); break;
        case Kind::Cmp: emit_cmp_value(e, d); break;
        case Kind::AddImm: emit_add_imm(e, d); break;
        case Kind::Bin: emit_bin(e, d); break;
      }
    }
    last_def_unit_ = kNone;
  }
  // Return values go to slots 0..n. With several values, lazy ones are first written to their own
  // slots so the ascending copies cannot clobber a local still to be read. Entries are not
  // changed: br_if reaches here on its taken path only.
  void emit_return() {
    uint32_t n = num_results_;
    size_t first = stack_.size() - n;
    if (n > 1) {
      for (size_t i = first; i < stack_.size(); ++i) {
        const Operand& e = stack_[i];
        if (e.kind == Kind::Local) {
          emit_copy(home(i), e.local);
        } else if (e.kind == Kind::Const) {
          emit_const(home(i), e.bits);
        }
      }
      for (size_t i = first; i < stack_.size(); ++i) {
        if (home(i) == i - first) continue;
        emit_copy(static_cast<uint32_t>(i - first), home(i));
      }
    } else if (n == 1 && (stack_.back().kind == Kind::Stack || stack_.back().kind == Kind::Local)) {
      uint32_t src = slot_of(stack_.size() - 1);
      if (src != 0) {
        emit(IOp::Return1);  // the copy to slot 0 rides on the return
        unit(src);
        return;
      }
    } else {
      move_top(n, 0);
    }
    emit(IOp::Return);
  }
  // Unconditional branch to label depth `depth` with the values on top of the stack.
  void emit_br(uint32_t depth) {
    Ctrl& target = ctrls_[ctrls_.size() - 1 - depth];
    if (target.kind == Opcode::End) {
      emit_return();
      return;
    }
    uint32_t arity = label_arity(target);
    move_top(arity, home(target.height));
    size_t start = emit(IOp::Jump);
    branch_to(target, start);
  }
  // Conditional branch on the popped condition; `when_true` selects br_if vs its inverse.
  // Returns the start of the emitted branch; its offset unit is recorded via `branch`.
  template <typename BranchFn>
  void emit_cond_branch(const Operand& cond, uint32_t cond_slot, bool when_true,
                        BranchFn&& branch) {
    if (cond.kind == Kind::Cmp) {
      Opcode cmp = when_true ? cond.cmp : inverse_cmp(cond.cmp);
      if (cond.cmp == Opcode::I32Eqz) {
        size_t start = begin_branch(when_true ? IOp::BrIfEqz : IOp::BrIfNez, cond.a);
        branch(start);
        return;
      }
      size_t start = begin_branch(fused_branch(cmp, cond.b_imm), cond.a);
      unit(cond.b);
      branch(start);
      return;
    }
    size_t start = begin_branch(when_true ? IOp::BrIfNez : IOp::BrIfEqz, cond_slot);
    branch(start);
  }
  // Emits a conditional branch testing slot `a` (further operands and the offset follow). When
  // the instruction just emitted was `a = src + imm` (a loop counter step), both become one
  // instruction that starts where the addition did; returns that start.
  size_t begin_branch(IOp op, uint32_t a) {
    IOp fused = add_imm_branch(op);
    if (fused != IOp::Count && last_op_ == IOp::I32AddImm && last_start_ + 5 == code_.size() &&
        code_[last_start_ + 2] == a) {
      size_t start = last_start_;
      const void* handler = handlers_[static_cast<size_t>(fused)];
      std::memcpy(&code_[start], &handler, sizeof(handler));
      last_op_ = IOp::Count;
      last_def_unit_ = kNone;
      last_copy_ = kNone;
      return start;
    }
    size_t start = emit(op);
    unit(a);
    return start;
  }
  // Pops the condition of br_if/if, keeping a fusable comparison pending.
  Operand pop_cond(uint32_t& slot) {
    Operand top = stack_.back();
    if (top.kind == Kind::Cmp) {
      stack_.pop_back();
      slot = kNone;
      return top;
    }
    slot = pop_slot();
    return Operand{};
  }

  Expected<void> lower_instr(const wasm::Instr& in, wasm::InstrReader& reader);
  void lower_simple(const wasm::Instr& in);
  void lower_pair_arith(Opcode op, size_t pos_a, size_t pos_b, bool imm, uint32_t k);

  const wasm::Module& module_;
  const void* const* handlers_;
  const CompiledFunction* functions_;
  std::vector<uint32_t> code_;
  std::vector<Operand> stack_;
  std::vector<Ctrl> ctrls_;
  uint32_t num_locals_ = 0;
  uint32_t num_results_ = 0;
  uint32_t max_height_ = 0;
  uint32_t last_def_unit_ = kNone;
  uint32_t last_def_slot_ = 0;
  uint32_t zero_slot_ = 0;
  uint32_t last_copy_ = kNone;    // start of the last instruction if it is a lone Copy
  IOp last_op_ = IOp::Count;      // the last instruction emitted since the last label
  std::vector<uint64_t> consts_;  // values of the constant slots
  uint32_t const_base_ = 0;
  static constexpr size_t kMaxConstSlots = 16;
  size_t last_start_ = 0;
  std::vector<bool> zero_locals_;  // declared locals not yet written on the straight-line prefix
};

void Lowerer::lower_simple(const wasm::Instr& in) {
  const auto& inf = wasm::info(in.op);
  using wasm::Sig;
  switch (inf.sig) {
    case Sig::i_v:
    case Sig::I_v:
    case Sig::f_v:
    case Sig::F_v: {
      if (in.op == Opcode::MemorySize) {
        emit_def(iop_of(in.op), home(stack_.size()));
        push_stack();
        return;
      }
      Operand c;
      c.kind = Kind::Const;
      c.bits = (in.op == Opcode::I32Const || in.op == Opcode::F32Const)
                   ? static_cast<uint32_t>(in.bits)
                   : in.bits;
      push(c);
      return;
    }
    case Sig::v_ii:
    case Sig::v_iI:
    case Sig::v_if:
    case Sig::v_iF: {  // stores
      if (stack_.back().kind == Kind::Bin && is_f64_arith(stack_.back().cmp)) {
        // The pending operands sit at the top; materialising the address writes only below.
        Operand v = stack_.back();
        stack_.pop_back();
        uint32_t offset = static_cast<uint32_t>(in.mem_offset);
        uint32_t addr =
            fold_const_address(stack_.size() - 1, offset) ? zero_slot_ : slot_of(stack_.size() - 1);
        stack_.pop_back();
        emit(v.cmp == Opcode::F64Add   ? IOp::F64AddStore
             : v.cmp == Opcode::F64Sub ? IOp::F64SubStore
                                       : IOp::F64MulStore);
        unit(addr);
        unit(v.a);
        unit(v.b);
        unit(offset);
        return;
      }
      uint32_t value = pop_slot();
      uint32_t offset = static_cast<uint32_t>(in.mem_offset);
      const Operand& address = stack_.back();
      if (address.kind == Kind::AddImm) {
        Operand e = address;
        stack_.pop_back();
        emit(address_variant(in.op));
        unit(e.a);
        unit(e.b);
        unit(value);
        unit(offset);
        return;
      }
      uint32_t addr =
          fold_const_address(stack_.size() - 1, offset) ? zero_slot_ : slot_of(stack_.size() - 1);
      stack_.pop_back();
      emit(iop_of(in.op));
      unit(addr);
      unit(value);
      unit(offset);
      return;
    }
    default: break;
  }
  bool binary = inf.sig == Sig::i_ii || inf.sig == Sig::i_II || inf.sig == Sig::i_ff ||
                inf.sig == Sig::i_FF || inf.sig == Sig::I_II || inf.sig == Sig::f_ff ||
                inf.sig == Sig::F_FF;
  if (!binary) {
    size_t pos = stack_.size() - 1;
    uint32_t offset = static_cast<uint32_t>(in.mem_offset);
    if (in.op == Opcode::I32Load) {
      // Pending like f64.load: an i32 add/xor/and/or may take it as an operand.
      Operand e;
      e.kind = Kind::Bin;
      e.cmp = in.op;
      if (stack_[pos].kind == Kind::AddImm) {
        e.a = stack_[pos].a;
        e.b = stack_[pos].b;
        e.c = offset;
        e.b_imm = true;
      } else {
        e.a = fold_const_address(pos, offset) ? zero_slot_ : slot_of(pos);
        e.b = offset;
      }
      stack_.pop_back();
      push(e);
      return;
    }
    if (inf.mem_bytes && stack_[pos].kind == Kind::AddImm) {
      Operand e = stack_[pos];
      stack_.pop_back();
      emit_def(address_variant(in.op), home(pos));
      unit(e.a);
      unit(e.b);
      unit(offset);
      push_stack();
      return;
    }
    if (in.op == Opcode::F64Load) {
      // Pending until the next instruction: an f64 add/sub/mul takes the load as an operand.
      // Only local.get and constants (no memory effects) can come in between.
      Operand e;
      e.kind = Kind::Bin;
      e.cmp = in.op;
      e.a = fold_const_address(pos, offset) ? zero_slot_ : slot_of(pos);
      e.b = offset;
      stack_.pop_back();
      push(e);
      return;
    }
    if (inf.mem_bytes && fold_const_address(pos, offset)) {
      stack_.pop_back();
      emit_def(iop_of(in.op), home(pos));
      unit(zero_slot_);
      unit(offset);
      push_stack();
      return;
    }
    uint32_t a = slot_of(pos);
    if (in.op == Opcode::I32Eqz) {
      stack_.pop_back();
      Operand c;
      c.kind = Kind::Cmp;
      c.cmp = in.op;
      c.a = a;
      push(c);
      return;
    }
    stack_.pop_back();
    emit_def(iop_of(in.op), home(pos));
    unit(a);
    if (inf.mem_bytes) unit(static_cast<uint32_t>(in.mem_offset));
    push_stack();
    return;
  }
  size_t pos_b = stack_.size() - 1, pos_a = pos_b - 1;
  if (is_f64_arith(in.op)) {
    lower_pair_arith(in.op, pos_a, pos_b, false, 0);
    return;
  }
  if (is_i32_outer(in.op) && stack_[pos_b].kind != Kind::Const) {
    lower_pair_arith(in.op, pos_a, pos_b, false, 0);
    return;
  }
  if (is_i32_imm_inner(in.op) && stack_[pos_b].kind == Kind::Const) {
    uint32_t k = static_cast<uint32_t>(stack_[pos_b].bits);
    stack_.pop_back();
    lower_pair_arith(in.op, pos_a, pos_a, true, k);
    return;
  }
  const Operand& eb = stack_[pos_b];
  bool use_imm = false;
  uint32_t b = 0;
  IOp imm_op = imm_variant(in.op);
  if (eb.kind == Kind::Const && imm_op != IOp::Count) {
    if (!is_i64_op(in.op)) {
      use_imm = true;
      b = static_cast<uint32_t>(eb.bits);
    } else if (static_cast<int64_t>(eb.bits) == static_cast<int32_t>(eb.bits)) {
      use_imm = true;
      b = static_cast<uint32_t>(eb.bits);
    }
  }
  if (!use_imm) b = slot_of(pos_b);
  uint32_t a = slot_of(pos_a);
  stack_.pop_back();
  stack_.pop_back();
  if (use_imm && (in.op == Opcode::I32Add || in.op == Opcode::I32Sub)) {
    Operand e;
    e.kind = Kind::AddImm;
    e.a = a;
    e.b = in.op == Opcode::I32Add ? b : 0u - b;
    push(e);
    return;
  }
  if (fusable_cmp(in.op) && (!use_imm || !is_i64_op(in.op))) {
    Operand c;
    c.kind = Kind::Cmp;
    c.cmp = in.op;
    c.a = a;
    c.b = b;
    c.b_imm = use_imm;
    push(c);
    return;
  }
  emit_def(use_imm ? imm_op : iop_of(in.op), home(pos_a));
  unit(a);
  unit(b);
  push_stack();
}

// A fusable binary op: fuses with a pending one among its operands (when it can be an outer op),
// else becomes pending itself. With `imm`, the right operand is the immediate `k` (already
// popped) and pos_a == pos_b.
void Lowerer::lower_pair_arith(Opcode op, size_t pos_a, size_t pos_b, bool imm, uint32_t k) {
  Operand ea = stack_[pos_a], eb = stack_[pos_b];
  bool outer = !imm && (is_f64_arith(op) || is_i32_outer(op));
  bool left = outer && ea.kind == Kind::Bin && eb.kind != Kind::Bin &&
              pair_op(ea.cmp, ea.b_imm, op, true) != IOp::Count;
  bool right = outer && eb.kind == Kind::Bin && ea.kind != Kind::Bin &&
               pair_op(eb.cmp, eb.b_imm, op, false) != IOp::Count;
  if (left || right) {
    const Operand& inner = left ? ea : eb;
    size_t other = left ? pos_b : pos_a;
    uint32_t c;
    if (stack_[other].kind == Kind::Const && const_slot(stack_[other].bits) != kNone) {
      c = const_slot(stack_[other].bits);
    } else if (stack_[other].kind == Kind::Const) {
      // Its home may be an operand slot of the pending op, whose operands sit at most one slot
      // above the stack top: use the slot above that.
      c = home(stack_.size() + 1);
      max_height_ = std::max<uint32_t>(max_height_, static_cast<uint32_t>(stack_.size() + 2));
      emit_const(c, stack_[other].bits);
    } else {
      c = slot_of(other);
    }
    stack_.pop_back();
    stack_.pop_back();
    emit_def(pair_op(inner.cmp, inner.b_imm, op, left), home(pos_a));
    unit(inner.a);
    unit(inner.b);
    if (inner.cmp == Opcode::I32Load && inner.b_imm) unit(inner.c);
    unit(c);
    push_stack();
    return;
  }
  if (imm) {
    uint32_t a = slot_of(pos_a);
    stack_.pop_back();
    Operand e;
    e.kind = Kind::Bin;
    e.cmp = op;
    e.a = a;
    e.b = k;
    e.b_imm = true;
    push(e);
    return;
  }
  uint32_t b = slot_of(pos_b);
  uint32_t a = slot_of(pos_a);
  stack_.pop_back();
  stack_.pop_back();
  Operand e;
  e.kind = Kind::Bin;
  e.cmp = op;
  e.a = a;
  e.b = b;
  push(e);
}

Expected<void> Lowerer::lower_instr(const wasm::Instr& in, wasm::InstrReader& reader) {
  Ctrl& cur = ctrls_.back();
  // Structure is tracked even in unreachable code; nothing else is emitted there.
  if (cur.unreachable) {
    switch (in.op) {
      case Opcode::Block:
      case Opcode::Loop:
      case Opcode::If: {
        Ctrl c;
        c.kind = in.op;
        c.unreachable = c.dead = true;
        ctrls_.push_back(std::move(c));
        return {};
      }
      case Opcode::Else:
      case Opcode::End:
        if (cur.dead) {
          if (in.op == Opcode::End) ctrls_.pop_back();
          return {};
        }
        break;
      default: return {};
    }
  }
  switch (in.op) {
    case Opcode::LocalGet:
    case Opcode::I32Const:
    case Opcode::I64Const:
    case Opcode::F32Const:
    case Opcode::F64Const: break;  // they only push lazy entries and write nothing
    case Opcode::BrIf:
    case Opcode::If:
    case Opcode::LocalSet:
    case Opcode::LocalTee: flush_pending_except(stack_.size() - 1); break;
    case Opcode::F64Add:
    case Opcode::F64Sub:
    case Opcode::F64Mul:
    case Opcode::I32Add:
    case Opcode::I32Xor:
    case Opcode::I32And:
    case Opcode::I32Or: {
      size_t top = stack_.size() - 1;
      size_t keep = stack_[top].kind == Kind::Bin       ? top
                    : stack_[top - 1].kind == Kind::Bin ? top - 1
                                                        : ~size_t{0};
      flush_pending_except(keep);
      break;
    }
    default: {
      const auto& inf = wasm::info(in.op);
      bool is_store = inf.sig == wasm::Sig::v_ii || inf.sig == wasm::Sig::v_iI ||
                      inf.sig == wasm::Sig::v_if || inf.sig == wasm::Sig::v_iF;
      // Only an address addition stays pending (it reads a local or its own slot); any other
      // pending address could read the slot a constant value operand is about to be put in.
      size_t address = is_store ? stack_.size() - 2 : stack_.size() - 1;
      size_t keep = inf.mem_bytes && stack_[address].kind == Kind::AddImm ? address : ~size_t{0};
      // An f64 add/sub/mul being stored fuses with the store (no other entry is pending then).
      if (in.op == Opcode::F64Store && stack_.back().kind == Kind::Bin &&
          is_f64_arith(stack_.back().cmp))
        keep = stack_.size() - 1;
      flush_pending_except(keep);
    }
  }

  switch (in.op) {
    case Opcode::Nop: return {};
    case Opcode::Unreachable:
      emit(IOp::Unreachable);
      cur.unreachable = true;
      return {};
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If: {
      Ctrl c;
      c.kind = in.op;
      block_arity(in.block, c.nparams, c.nresults);
      if (in.op == Opcode::If) {
        uint32_t cond_slot;
        Operand cond = pop_cond(cond_slot);
        spill_all();
        emit_cond_branch(cond, cond_slot, false, [&](size_t start) {
          c.has_else_fixup = true;
          c.else_fixup = {code_.size(), start};
          unit(0);
        });
      } else {
        spill_all();
      }
      c.height = static_cast<uint32_t>(stack_.size()) - c.nparams;
      if (in.op == Opcode::Loop) {
        label();
        c.loop_start = code_.size();
      }
      ctrls_.push_back(std::move(c));
      return {};
    }
    case Opcode::Else: {
      if (!cur.unreachable) {
        move_top(cur.nresults, home(cur.height));
        size_t start = emit(IOp::Jump);
        branch_to(cur, start);
      }
      patch(cur.else_fixup, code_.size());
      cur.has_else_fixup = false;
      label();
      stack_.resize(cur.height);
      for (uint32_t i = 0; i < cur.nparams; ++i) push_stack();
      cur.unreachable = false;
      return {};
    }
    case Opcode::End: {
      if (cur.kind == Opcode::End) {  // end of the function body
        // Branches to the function's label were lowered as returns, so nothing jumps here.
        if (!cur.unreachable) emit_return();
        ctrls_.pop_back();
        return {};
      }
      if (!cur.unreachable) move_top(cur.nresults, home(cur.height));
      label();
      if (cur.has_else_fixup) patch(cur.else_fixup, code_.size());
      for (const Fixup& f : cur.fixups) patch(f, code_.size());
      stack_.resize(cur.height);
      uint32_t nr = cur.nresults;
      ctrls_.pop_back();
      for (uint32_t i = 0; i < nr; ++i) push_stack();
      return {};
    }
    case Opcode::Br:
      emit_br(in.a);
      cur.unreachable = true;
      return {};
    case Opcode::BrIf: {
      uint32_t cond_slot;
      Operand cond = pop_cond(cond_slot);
      Ctrl& target = ctrls_[ctrls_.size() - 1 - in.a];
      uint32_t arity = target.kind == Opcode::End ? num_results_ : label_arity(target);
      if (target.kind != Opcode::End && in_place(target, arity)) {
        emit_cond_branch(cond, cond_slot, true, [&](size_t start) { branch_to(target, start); });
        return {};
      }
      Fixup skip{};
      emit_cond_branch(cond, cond_slot, false, [&](size_t start) {
        skip = {code_.size(), start};
        unit(0);
      });
      emit_br(in.a);
      patch(skip, code_.size());
      label();
      return {};
    }
    case Opcode::BrTable: {
      std::vector<uint32_t> targets = reader.br_targets();
      uint32_t idx = pop_slot();
      size_t start = emit(IOp::BrTable);
      unit(idx);
      unit(static_cast<uint32_t>(targets.size() - 1));
      size_t first_entry = code_.size();
      for (size_t i = 0; i < targets.size(); ++i) unit(0);
      for (size_t i = 0; i < targets.size(); ++i) {
        Ctrl& target = ctrls_[ctrls_.size() - 1 - targets[i]];
        uint32_t arity = target.kind == Opcode::End ? num_results_ : label_arity(target);
        if (target.kind != Opcode::End && in_place(target, arity)) {
          if (target.kind == Opcode::Loop) {
            patch({first_entry + i, start}, target.loop_start);
          } else {
            target.fixups.push_back({first_entry + i, start});
          }
        } else {
          patch({first_entry + i, start}, code_.size());
          emit_br(targets[i]);
        }
      }
      cur.unreachable = true;
      return {};
    }
    case Opcode::Return:
      emit_return();
      cur.unreachable = true;
      return {};
    case Opcode::Call:
    case Opcode::CallIndirect: {
      uint32_t type_index = in.op == Opcode::Call ? module_.func_type_index(in.a) : in.a;
      const auto& type = module_.types[type_index];
      uint32_t np = static_cast<uint32_t>(type.params.size());
      uint32_t nr = static_cast<uint32_t>(type.results.size());
      uint32_t index_slot = 0;
      if (in.op == Opcode::CallIndirect) index_slot = pop_slot();
      size_t base_pos = stack_.size() - np;
      for (size_t i = base_pos; i < stack_.size(); ++i) spill(i);
      if (in.op == Opcode::Call && in.a >= module_.num_imported_funcs) {
        // A defined function of this module runs in the caller's instance: call its code
        // directly (no function-table load, host check or instance switch).
        const CompiledFunction* callee = functions_ + (in.a - module_.num_imported_funcs);
        emit(IOp::CallInternal);
        uint32_t words[2];
        std::memcpy(words, &callee, sizeof(callee));
        unit(words[0]);
        unit(words[1]);
        unit(home(base_pos));
        unit(in.a);
        stack_.resize(base_pos);
        for (uint32_t i = 0; i < nr; ++i) push_stack();
        return {};
      }
      if (in.op == Opcode::Call) {
        emit(IOp::Call);
        unit(in.a);
      } else {
        emit(IOp::CallIndirect);
        unit(in.a);
        unit(in.b);
        unit(index_slot);
      }
      unit(home(base_pos));
      stack_.resize(base_pos);
      for (uint32_t i = 0; i < nr; ++i) push_stack();
      return {};
    }
    case Opcode::Drop: stack_.pop_back(); return {};
    case Opcode::Select:
    case Opcode::SelectT: {
      uint32_t cond = pop_slot();
      uint32_t b = pop_slot();
      size_t pos = stack_.size() - 1;
      uint32_t a = slot_of(pos);
      stack_.pop_back();
      emit_def(IOp::Select, home(pos));
      unit(a);
      unit(b);
      unit(cond);
      push_stack();
      return {};
    }
    case Opcode::LocalGet: {
      Operand e;
      e.kind = Kind::Local;
      e.local = in.a;
      push(e);
      return {};
    }
    case Opcode::LocalSet:
    case Opcode::LocalTee: {
      uint32_t x = in.a;
      size_t top = stack_.size() - 1;
      Operand& e = stack_[top];
      if (e.kind == Kind::Const && e.bits == 0 && still_zero(x)) {
        stack_.pop_back();
        if (in.op == Opcode::LocalTee) push(e);
        return {};
      }
      written(x);
      bool others_ref = false;
      for (size_t i = 0; i < top; ++i)
        if (stack_[i].kind == Kind::Local && stack_[i].local == x) others_ref = true;
      if (e.kind == Kind::Stack && !others_ref && last_def_unit_ != kNone &&
          last_def_slot_ == home(top)) {
        code_[last_def_unit_] = x;  // the producing instruction writes the local directly
        last_def_unit_ = kNone;
      } else if (!(e.kind == Kind::Local && e.local == x)) {
        spill_refs_to_local(x, top);
        Operand v = stack_[top];
        switch (v.kind) {
          case Kind::Stack: emit_copy(x, home(top)); break;
          case Kind::Local: emit_copy(x, v.local); break;
          case Kind::Const: emit_const(x, v.bits); break;
          case Kind::Cmp: emit_cmp_value(v, x); break;
          case Kind::AddImm: emit_add_imm(v, x); break;
          case Kind::Bin: emit_bin(v, x); break;
        }
        last_def_unit_ = kNone;
      }
      stack_.pop_back();
      if (in.op == Opcode::LocalTee) {
        Operand l;
        l.kind = Kind::Local;
        l.local = x;
        push(l);
      }
      return {};
    }
    case Opcode::GlobalGet:
      emit_def(IOp::GlobalGet, home(stack_.size()));
      unit(in.a);
      push_stack();
      return {};
    case Opcode::GlobalSet: {
      uint32_t v = pop_slot();
      emit(IOp::GlobalSet);
      unit(v);
      unit(in.a);
      return {};
    }
    case Opcode::TableGet: {
      size_t pos = stack_.size() - 1;
      uint32_t i = slot_of(pos);
      stack_.pop_back();
      emit_def(IOp::TableGet, home(pos));
      unit(i);
      unit(in.a);
      push_stack();
      return {};
    }
    case Opcode::TableSet: {
      uint32_t v = pop_slot();
      uint32_t i = pop_slot();
      emit(IOp::TableSet);
      unit(in.a);
      unit(i);
      unit(v);
      return {};
    }
    case Opcode::TableSize:
      emit_def(IOp::TableSize, home(stack_.size()));
      unit(in.a);
      push_stack();
      return {};
    case Opcode::TableGrow: {
      uint32_t n = pop_slot();
      size_t pos = stack_.size() - 1;
      uint32_t init = slot_of(pos);
      stack_.pop_back();
      emit_def(IOp::TableGrow, home(pos));
      unit(in.a);
      unit(n);
      unit(init);
      push_stack();
      return {};
    }
    case Opcode::TableFill: {
      uint32_t n = pop_slot();
      uint32_t v = pop_slot();
      uint32_t i = pop_slot();
      emit(IOp::TableFill);
      unit(in.a);
      unit(i);
      unit(v);
      unit(n);
      return {};
    }
    case Opcode::TableCopy:
    case Opcode::TableInit: {
      uint32_t n = pop_slot();
      uint32_t s = pop_slot();
      uint32_t d = pop_slot();
      if (in.op == Opcode::TableCopy) {
        emit(IOp::TableCopy);
        unit(in.a);
        unit(in.b);
      } else {
        emit(IOp::TableInit);
        unit(in.b);
        unit(in.a);
      }
      unit(d);
      unit(s);
      unit(n);
      return {};
    }
    case Opcode::ElemDrop:
      emit(IOp::ElemDrop);
      unit(in.a);
      return {};
    case Opcode::MemoryInit: {
      uint32_t n = pop_slot();
      uint32_t s = pop_slot();
      uint32_t d = pop_slot();
      emit(IOp::MemoryInitOp);
      unit(in.a);
      unit(d);
      unit(s);
      unit(n);
      return {};
    }
    case Opcode::DataDrop:
      emit(IOp::DataDropOp);
      unit(in.a);
      return {};
    case Opcode::MemoryCopy:
    case Opcode::MemoryFill: {
      uint32_t n = pop_slot();
      uint32_t v = pop_slot();
      uint32_t d = pop_slot();
      emit(in.op == Opcode::MemoryCopy ? IOp::MemoryCopyOp : IOp::MemoryFillOp);
      unit(d);
      unit(v);
      unit(n);
      return {};
    }
    case Opcode::RefNull: {
      Operand c;
      c.kind = Kind::Const;
      c.bits = 0;
      push(c);
      return {};
    }
    case Opcode::RefIsNull: {
      size_t pos = stack_.size() - 1;
      uint32_t a = slot_of(pos);
      stack_.pop_back();
      emit_def(IOp::RefIsNullOp, home(pos));
      unit(a);
      push_stack();
      return {};
    }
    case Opcode::RefFunc:
      emit_def(IOp::RefFuncOp, home(stack_.size()));
      unit(in.a);
      push_stack();
      return {};
    default:
      if (wasm::info(in.op).sig == wasm::Sig::special)
        return make_error(Phase::Validate,
                          "cannot lower instruction " + std::string(wasm::info(in.op).text),
                          in.offset, "code");
      lower_simple(in);
      return {};
  }
}

// Fills the lowered fields of `out` (its params, results and index are set) and returns the frame
// size; publishing it is the caller's job. Writes `out` only once the function has lowered.
Expected<uint32_t> Lowerer::run(uint32_t defined_index, CompiledFunction& out) {
  const wasm::Function& fn = module_.functions[defined_index];
  const uint32_t func_index = module_.num_imported_funcs + defined_index;
  const uint32_t num_params = out.num_params;
  uint64_t locals = num_params;
  for (const auto& run : fn.locals) locals += run.count;
  // One extra local that is never written: a zero operand for loads/stores at constant addresses.
  zero_slot_ = static_cast<uint32_t>(locals);
  collect_constants(fn);
  const_base_ = zero_slot_ + 1;
  num_locals_ = const_base_ + static_cast<uint32_t>(consts_.size());
  num_results_ = out.num_results;
  zero_locals_.assign(locals, false);
  std::fill(zero_locals_.begin() + num_params, zero_locals_.end(), true);
  code_.reserve(fn.body.size() * 3);

  Ctrl body;
  body.kind = Opcode::End;
  body.nresults = num_results_;
  ctrls_.push_back(std::move(body));

  wasm::InstrReader reader(fn.body, fn.body_offset);
  while (!ctrls_.empty() && !reader.at_end()) {
    auto in = reader.next();
    if (!in) return Unexpected{std::move(in).error()};
    if (in->op == Opcode::Invalid) break;
    LANTERN_TRY(lower_instr(*in, reader));
  }
  if (!ctrls_.empty())
    return make_error(Phase::Validate, "function body does not end", fn.body_offset, "code",
                      func_index);
  out.code = std::move(code_);
  out.const_base = const_base_;
  out.consts = std::move(consts_);
  out.num_locals = num_locals_;
  return std::max(num_locals_ + max_height_, out.num_results);
}

}  // namespace

Expected<uint32_t> lower_function(const wasm::Module& module, uint32_t defined_index,
                                  const void* const* handlers, const CompiledFunction* functions,
                                  CompiledFunction& out) {
  Lowerer lowerer(module, handlers, functions);
  return lowerer.run(defined_index, out);
}

}  // namespace lantern::engine
