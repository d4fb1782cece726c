// Function body validation: the type-checking algorithm of the spec's validation appendix
// (operand stack with Unknown, control stack with an unreachable flag). Simple numeric and memory
// instructions are typed from the opcode table's Sig column; the rest are handled one by one.
#include <fmt/format.h>

#include <array>

#include "wasm/validator_internal.h"

namespace lantern::wasm::validation {
namespace {

// Operand signature of a generically typed instruction (opcodes.def, column Sig).
struct SigInfo {
  uint8_t num_params = 0;
  std::array<ValType, 2> params{};
  bool has_result = false;
  ValType result = ValType::I32;
};

constexpr ValType letter_type(char letter) {
  switch (letter) {
    case 'I': return ValType::I64;
    case 'f': return ValType::F32;
    case 'F': return ValType::F64;
    default: return ValType::I32;
  }
}

// `result` and `params` use the opcodes.def letters: i=i32 I=i64 f=f32 F=f64 v=none.
constexpr SigInfo make_sig(char result, std::string_view params) {
  SigInfo sig;
  sig.has_result = result != 'v';
  sig.result = letter_type(result);
  if (params != "v") {
    sig.num_params = static_cast<uint8_t>(params.size());
    for (size_t i = 0; i < params.size(); ++i) sig.params[i] = letter_type(params[i]);
  }
  return sig;
}

constexpr SigInfo sig_info(Sig sig) {
  switch (sig) {
    case Sig::special: return SigInfo{};
    case Sig::i_i: return make_sig('i', "i");
    case Sig::I_i: return make_sig('I', "i");
    case Sig::f_i: return make_sig('f', "i");
    case Sig::F_i: return make_sig('F', "i");
    case Sig::v_ii: return make_sig('v', "ii");
    case Sig::v_iI: return make_sig('v', "iI");
    case Sig::v_if: return make_sig('v', "if");
    case Sig::v_iF: return make_sig('v', "iF");
    case Sig::i_v: return make_sig('i', "v");
    case Sig::I_v: return make_sig('I', "v");
    case Sig::f_v: return make_sig('f', "v");
    case Sig::F_v: return make_sig('F', "v");
    case Sig::i_ii: return make_sig('i', "ii");
    case Sig::i_I: return make_sig('i', "I");
    case Sig::i_II: return make_sig('i', "II");
    case Sig::i_ff: return make_sig('i', "ff");
    case Sig::i_FF: return make_sig('i', "FF");
    case Sig::I_I: return make_sig('I', "I");
    case Sig::I_II: return make_sig('I', "II");
    case Sig::f_f: return make_sig('f', "f");
    case Sig::f_ff: return make_sig('f', "ff");
    case Sig::F_F: return make_sig('F', "F");
    case Sig::F_FF: return make_sig('F', "FF");
    case Sig::i_f: return make_sig('i', "f");
    case Sig::i_F: return make_sig('i', "F");
    case Sig::I_f: return make_sig('I', "f");
    case Sig::I_F: return make_sig('I', "F");
    case Sig::f_I: return make_sig('f', "I");
    case Sig::f_F: return make_sig('f', "F");
    case Sig::F_I: return make_sig('F', "I");
    case Sig::F_f: return make_sig('F', "f");
  }
  return SigInfo{};
}

constexpr std::array<SigInfo, kOpcodeCount> kOpcodeSigs = [] {
  std::array<SigInfo, kOpcodeCount> table{};
  for (size_t i = 0; i < kOpcodeCount; ++i) table[i] = sig_info(kOpcodeInfo[i].sig);
  return table;
}();

// One-element type lists for block types `[] -> [t]` live here, so frames never own storage.
constexpr std::array<ValType, 7> kSingleTypes = {ValType::I32,  ValType::I64,     ValType::F32,
                                                 ValType::F64,  ValType::V128,    ValType::FuncRef,
                                                 ValType::ExternRef};

const ValType* single_type(ValType type) {
  for (const ValType& candidate : kSingleTypes)
    if (candidate == type) return &candidate;
  return nullptr;
}

uint32_t natural_alignment_log2(uint8_t mem_bytes) {
  uint32_t log2 = 0;
  while ((1u << log2) < mem_bytes) ++log2;
  return log2;
}

}  // namespace

bool CodeValidator::fail(std::string message) {
  error_ = std::move(message);
  return false;
}

bool CodeValidator::mismatch(ValType expected, ValType actual) {
  return fail(fmt::format("type mismatch: expected {}, got {}", type_name(expected),
                          type_name(actual)));
}

void CodeValidator::push(TypeList types) {
  vals_.insert(vals_.end(), types.data, types.data + types.size);
}

bool CodeValidator::pop(ValType& actual) {
  const Frame& frame = ctrls_.back();
  if (vals_.size() == frame.height) {
    if (frame.unreachable) {
      actual = kUnknown;
      return true;
    }
    return fail("type mismatch: expected a value, got nothing (operand stack is empty)");
  }
  actual = vals_.back();
  vals_.pop_back();
  return true;
}

bool CodeValidator::pop_expect(ValType expected, ValType& actual) {
  const Frame& frame = ctrls_.back();
  if (vals_.size() == frame.height) {
    if (frame.unreachable) {
      actual = kUnknown;
      return true;
    }
    return fail(fmt::format("type mismatch: expected {}, got nothing (operand stack is empty)",
                            type_name(expected)));
  }
  actual = vals_.back();
  vals_.pop_back();
  if (actual != expected && actual != kUnknown && expected != kUnknown)
    return mismatch(expected, actual);
  return true;
}

bool CodeValidator::pop_list(TypeList types) {
  for (uint32_t i = types.size; i-- > 0;)
    if (!pop_expect(types.data[i])) return false;
  return true;
}

bool CodeValidator::check_list_in_place(TypeList types) {
  const Frame& frame = ctrls_.back();
  size_t available = vals_.size() - frame.height;
  for (uint32_t i = 0; i < types.size; ++i) {
    ValType expected = types.data[types.size - 1 - i];
    if (i >= available) {
      if (frame.unreachable) return true;
      return fail(fmt::format("type mismatch: expected {}, got nothing (operand stack is empty)",
                              type_name(expected)));
    }
    ValType actual = vals_[vals_.size() - 1 - i];
    if (actual != expected && actual != kUnknown) return mismatch(expected, actual);
  }
  return true;
}

void CodeValidator::push_frame(Opcode op, TypeList params, TypeList results) {
  ctrls_.push_back(Frame{op, params, results, static_cast<uint32_t>(vals_.size()), false});
  push(params);
}

bool CodeValidator::pop_frame(Frame& frame) {
  if (ctrls_.empty()) return fail("unexpected end: no open block");
  if (!pop_list(ctrls_.back().results)) return false;
  const Frame& top = ctrls_.back();
  if (vals_.size() != top.height)
    return fail(fmt::format("type mismatch: {} extra value(s) left on the stack at end of block",
                            vals_.size() - top.height));
  frame = top;
  ctrls_.pop_back();
  return true;
}

void CodeValidator::set_unreachable() {
  Frame& frame = ctrls_.back();
  vals_.resize(frame.height);
  frame.unreachable = true;
}

bool CodeValidator::check_label(uint32_t depth) {
  if (depth >= ctrls_.size())
    return fail(fmt::format("unknown label {}: only {} enclosing block(s)", depth, ctrls_.size()));
  return true;
}

bool CodeValidator::check_memory(uint32_t index) {
  if (index >= context_.num_memories)
    return fail(fmt::format("unknown memory {}: the module has {} memory(ies)", index,
                            context_.num_memories));
  return true;
}

bool CodeValidator::check_table(uint32_t index) {
  if (index >= context_.tables.size())
    return fail(fmt::format("unknown table {}: the module has {} table(s)", index,
                            context_.tables.size()));
  return true;
}

bool CodeValidator::check_data(uint32_t index) {
  const Module& module = *context_.module;
  if (!module.data_count)
    return fail("data count section required: memory.init and data.drop need it");
  if (index >= *module.data_count)
    return fail(fmt::format("unknown data segment {}: the module has {} data segment(s)", index,
                            *module.data_count));
  return true;
}

bool CodeValidator::check_elem(uint32_t index) {
  size_t count = context_.module->elements.size();
  if (index >= count)
    return fail(fmt::format("unknown elem segment {}: the module has {} element segment(s)", index,
                            count));
  return true;
}

bool CodeValidator::check_func(uint32_t index) {
  if (index >= context_.func_types.size())
    return fail(fmt::format("unknown function {}: the module has {} function(s)", index,
                            context_.func_types.size()));
  return true;
}

bool CodeValidator::check_type(uint32_t index) {
  size_t count = context_.module->types.size();
  if (index >= count)
    return fail(fmt::format("unknown type {}: the module has {} type(s)", index, count));
  return true;
}

bool CodeValidator::check_block_type(const BlockType& block, TypeList& params,
                                     TypeList& results) {
  params = {};
  results = {};
  switch (block.kind) {
    case BlockType::Kind::Empty: return true;
    case BlockType::Kind::Value:
      results.data = single_type(block.value);
      if (!results.data) return fail("malformed block type");
      results.size = 1;
      return true;
    case BlockType::Kind::TypeIndex: {
      if (!check_type(block.type_index)) return false;
      const FuncType& type = context_.module->types[block.type_index];
      params = {type.params.data(), static_cast<uint32_t>(type.params.size())};
      results = {type.results.data(), static_cast<uint32_t>(type.results.size())};
      return true;
    }
  }
  return true;
}

bool CodeValidator::check_memarg(const Instr& instr) {
  if (!check_memory(0)) return false;
  uint8_t bytes = info(instr.op).mem_bytes;
  if (instr.a > natural_alignment_log2(bytes))
    return fail(fmt::format(
        "alignment must not be larger than natural: 2^{} exceeds the {}-byte access of {}",
        instr.a, bytes, info(instr.op).text));
  return true;
}

bool CodeValidator::check(const Instr& instr, InstrReader& reader) {
  const OpcodeInfo& op_info = info(instr.op);
  if (op_info.sig == Sig::special) return check_special(instr, reader);
  if (op_info.imm == Imm::Memarg) {
    if (!check_memarg(instr)) return false;
  } else if (op_info.imm == Imm::MemIdx) {
    if (!check_memory(0)) return false;
  }
  const SigInfo& sig = kOpcodeSigs[static_cast<size_t>(instr.op)];
  for (uint32_t i = sig.num_params; i-- > 0;)
    if (!pop_expect(sig.params[i])) return false;
  if (sig.has_result) push(sig.result);
  return true;
}

bool CodeValidator::check_special(const Instr& instr, InstrReader& reader) {
  const Module& module = *context_.module;
  switch (instr.op) {
    case Opcode::Unreachable: set_unreachable(); return true;
    case Opcode::Nop: return true;
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If: {
      TypeList params, results;
      if (!check_block_type(instr.block, params, results)) return false;
      if (instr.op == Opcode::If && !pop_expect(ValType::I32)) return false;
      if (!pop_list(params)) return false;
      push_frame(instr.op, params, results);
      return true;
    }
    case Opcode::Else: {
      if (ctrls_.back().op != Opcode::If) return fail("else without matching if");
      Frame frame;
      if (!pop_frame(frame)) return false;
      push_frame(Opcode::Else, frame.params, frame.results);
      return true;
    }
    case Opcode::End: {
      Frame frame;
      if (!pop_frame(frame)) return false;
      if (frame.op == Opcode::If) {
        // `if` without `else` has an implicit empty else branch: it must map params to results.
        bool same = frame.params.size == frame.results.size;
        for (uint32_t i = 0; same && i < frame.params.size; ++i)
          same = frame.params.data[i] == frame.results.data[i];
        if (!same) return fail("type mismatch: if without else must produce its parameters");
      }
      push(frame.results);
      return true;
    }
    case Opcode::Br: {
      if (!check_label(instr.a)) return false;
      if (!pop_list(label_types(ctrls_[ctrls_.size() - 1 - instr.a]))) return false;
      set_unreachable();
      return true;
    }
    case Opcode::BrIf: {
      if (!check_label(instr.a)) return false;
      if (!pop_expect(ValType::I32)) return false;
      TypeList types = label_types(ctrls_[ctrls_.size() - 1 - instr.a]);
      if (!pop_list(types)) return false;
      push(types);
      return true;
    }
    case Opcode::BrTable: {
      if (!pop_expect(ValType::I32)) return false;
      const std::vector<uint32_t>& targets = reader.br_targets();
      if (targets.empty()) return fail("malformed br_table: no default label");
      uint32_t default_depth = targets.back();
      if (!check_label(default_depth)) return false;
      TypeList default_types = label_types(ctrls_[ctrls_.size() - 1 - default_depth]);
      for (size_t i = 0; i + 1 < targets.size(); ++i) {
        if (!check_label(targets[i])) return false;
        TypeList types = label_types(ctrls_[ctrls_.size() - 1 - targets[i]]);
        if (types.size != default_types.size)
          return fail(fmt::format(
              "type mismatch: br_table target {} carries {} value(s), the default carries {}",
              targets[i], types.size, default_types.size));
        if (!check_list_in_place(types)) return false;
      }
      if (!check_list_in_place(default_types)) return false;
      set_unreachable();
      return true;
    }
    case Opcode::Return:
      if (!pop_list(func_results_)) return false;
      set_unreachable();
      return true;
    case Opcode::Call: {
      if (!check_func(instr.a)) return false;
      const FuncType& type = module.types[context_.func_types[instr.a]];
      if (!pop_list({type.params.data(), static_cast<uint32_t>(type.params.size())})) return false;
      push({type.results.data(), static_cast<uint32_t>(type.results.size())});
      return true;
    }
    case Opcode::CallIndirect: {
      if (!check_table(instr.b)) return false;
      if (context_.tables[instr.b].elem != ValType::FuncRef)
        return fail(fmt::format("type mismatch: call_indirect needs a funcref table, table {} holds {}",
                                instr.b, type_name(context_.tables[instr.b].elem)));
      if (!check_type(instr.a)) return false;
      const FuncType& type = module.types[instr.a];
      if (!pop_expect(ValType::I32)) return false;
      if (!pop_list({type.params.data(), static_cast<uint32_t>(type.params.size())})) return false;
      push({type.results.data(), static_cast<uint32_t>(type.results.size())});
      return true;
    }
    case Opcode::Drop: {
      ValType ignored;
      return pop(ignored);
    }
    case Opcode::Select: {
      ValType first, second;
      if (!pop_expect(ValType::I32)) return false;
      if (!pop(first) || !pop(second)) return false;
      if (is_ref(first) || is_ref(second))
        return fail(fmt::format("type mismatch: select without a type needs numeric operands, got {}",
                                type_name(is_ref(first) ? first : second)));
      if (first != second && first != kUnknown && second != kUnknown)
        return mismatch(second, first);
      push(first == kUnknown ? second : first);
      return true;
    }
    case Opcode::SelectT:
      if (instr.select_arity != 1)
        return fail(fmt::format("invalid result arity: select takes 1 type, got {}",
                                instr.select_arity));
      if (!pop_expect(ValType::I32) || !pop_expect(instr.type) || !pop_expect(instr.type))
        return false;
      push(instr.type);
      return true;
    case Opcode::LocalGet:
    case Opcode::LocalSet:
    case Opcode::LocalTee: {
      if (instr.a >= locals_.size())
        return fail(fmt::format("unknown local {}: the function has {} local(s)", instr.a,
                                locals_.size()));
      ValType type = locals_[instr.a];
      if (instr.op != Opcode::LocalGet && !pop_expect(type)) return false;
      if (instr.op != Opcode::LocalSet) push(type);
      return true;
    }
    case Opcode::GlobalGet:
    case Opcode::GlobalSet: {
      if (instr.a >= context_.globals.size())
        return fail(fmt::format("unknown global {}: the module has {} global(s)", instr.a,
                                context_.globals.size()));
      const GlobalType& global = context_.globals[instr.a];
      if (instr.op == Opcode::GlobalGet) {
        push(global.type);
        return true;
      }
      if (!global.is_mutable) return fail(fmt::format("global is immutable: global {}", instr.a));
      return pop_expect(global.type);
    }
    case Opcode::TableGet:
      if (!check_table(instr.a) || !pop_expect(ValType::I32)) return false;
      push(context_.tables[instr.a].elem);
      return true;
    case Opcode::TableSet:
      return check_table(instr.a) && pop_expect(context_.tables[instr.a].elem) &&
             pop_expect(ValType::I32);
    case Opcode::RefNull: push(instr.type); return true;
    case Opcode::RefIsNull: {
      ValType operand;
      if (!pop(operand)) return false;
      if (operand != kUnknown && !is_ref(operand))
        return fail(fmt::format("type mismatch: expected a reference, got {}", type_name(operand)));
      push(ValType::I32);
      return true;
    }
    case Opcode::RefFunc:
      if (!check_func(instr.a)) return false;
      if (!context_.declared_funcs[instr.a])
        return fail(fmt::format(
            "undeclared function reference: function {} is not named in an element segment, "
            "export or global initialiser",
            instr.a));
      push(ValType::FuncRef);
      return true;
    case Opcode::MemoryInit:
      return check_memory(0) && check_data(instr.a) && pop_expect(ValType::I32) &&
             pop_expect(ValType::I32) && pop_expect(ValType::I32);
    case Opcode::DataDrop: return check_data(instr.a);
    case Opcode::MemoryCopy:
    case Opcode::MemoryFill:
      return check_memory(0) && pop_expect(ValType::I32) && pop_expect(ValType::I32) &&
             pop_expect(ValType::I32);
    case Opcode::TableInit: {
      if (!check_table(instr.b) || !check_elem(instr.a)) return false;
      ValType segment_type = module.elements[instr.a].elem_type;
      if (segment_type != context_.tables[instr.b].elem)
        return fail(fmt::format("type mismatch: elem segment {} holds {}, table {} holds {}",
                                instr.a, type_name(segment_type), instr.b,
                                type_name(context_.tables[instr.b].elem)));
      return pop_expect(ValType::I32) && pop_expect(ValType::I32) && pop_expect(ValType::I32);
    }
    case Opcode::ElemDrop: return check_elem(instr.a);
    case Opcode::TableCopy: {
      if (!check_table(instr.a) || !check_table(instr.b)) return false;
      ValType dst = context_.tables[instr.a].elem, src = context_.tables[instr.b].elem;
      if (dst != src)
        return fail(fmt::format("type mismatch: table.copy from a {} table to a {} table",
                                type_name(src), type_name(dst)));
      return pop_expect(ValType::I32) && pop_expect(ValType::I32) && pop_expect(ValType::I32);
    }
    case Opcode::TableGrow:
      if (!check_table(instr.a) || !pop_expect(ValType::I32) ||
          !pop_expect(context_.tables[instr.a].elem))
        return false;
      push(ValType::I32);
      return true;
    case Opcode::TableSize:
      if (!check_table(instr.a)) return false;
      push(ValType::I32);
      return true;
    case Opcode::TableFill:
      return check_table(instr.a) && pop_expect(ValType::I32) &&
             pop_expect(context_.tables[instr.a].elem) && pop_expect(ValType::I32);
    default:
      return fail(fmt::format("unsupported instruction {}", info(instr.op).text));
  }
}

Expected<void> CodeValidator::validate_function(uint32_t defined_index) {
  const Module& module = *context_.module;
  const Function& function = module.functions[defined_index];
  uint32_t imported = static_cast<uint32_t>(context_.func_types.size() - module.functions.size());
  uint32_t func_index = imported + defined_index;
  const FuncType& type = module.types[function.type_index];

  auto error_at = [&](uint64_t offset) {
    return make_error(Phase::Validate, error_, offset, "code", func_index);
  };

  // Locals: parameters first, then the declared runs.
  constexpr uint64_t kMaxLocals = 1u << 24;  // far above the decoder's limit; guards hand-built modules
  uint64_t total = type.params.size();
  for (const LocalRun& run : function.locals) total += run.count;
  if (total > kMaxLocals) {
    error_ = fmt::format("too many locals: {}", total);
    return error_at(function.entry_offset);
  }
  locals_.assign(type.params.begin(), type.params.end());
  for (const LocalRun& run : function.locals) locals_.insert(locals_.end(), run.count, run.type);

  vals_.clear();
  ctrls_.clear();
  func_results_ = {type.results.data(), static_cast<uint32_t>(type.results.size())};
  push_frame(Opcode::Block, {}, func_results_);

  InstrReader reader(function.body, function.body_offset);
  while (!reader.at_end()) {
    Expected<Instr> instr = reader.next();
    if (!instr) {
      Error error = std::move(instr).error();
      if (error.section.empty()) error.section = "code";
      if (error.func_index == Error::kNoIndex) error.func_index = func_index;
      return Unexpected{std::move(error)};
    }
    if (!check(*instr, reader)) return error_at(instr->offset);
    if (ctrls_.empty()) {
      if (!reader.at_end()) {
        error_ = "operators remaining after end of function";
        return error_at(reader.offset());
      }
      return {};
    }
  }
  error_ = "unexpected end: function body does not end with `end`";
  return error_at(reader.offset());
}

}  // namespace lantern::wasm::validation
