// Shared pieces of the validator: the module-wide context (index spaces resolved once) and the
// function body checker, which keeps its stacks between functions so validation does not
// allocate per instruction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lantern/util/expected.h"
#include "lantern/wasm/instr_reader.h"
#include "lantern/wasm/module.h"

namespace lantern::wasm::validation {

// The operand type of a value whose type the spec algorithm calls "Unknown" (it comes from
// unreachable code and matches anything). 0 is not the encoding of any value type.
inline constexpr ValType kUnknown = static_cast<ValType>(0);

// "i32", ..., or "unknown" for kUnknown; never allocates.
inline const char* type_name(ValType type) { return to_string(type); }  // one spelling: types.h

// The spec's context C, built once per module after the module-level index checks passed.
struct Context {
  const Module* module = nullptr;
  std::vector<uint32_t> func_types;  // type index of every function, imports first
  std::vector<TableType> tables;     // imports first
  std::vector<GlobalType> globals;   // imports first
  uint32_t num_memories = 0;
  uint32_t num_imported_globals = 0;
  // C.refs: 1 for functions that may be named by ref.func inside function bodies.
  std::vector<uint8_t> declared_funcs;
};

// Where an error is reported: the section and, for function bodies, the function index.
struct Site {
  const char* section = "";
  uint32_t func_index = Error::kNoIndex;
};

// Checks one constant expression (global initialiser, segment offset, element expression)
// against `expected`. Only imported, immutable globals may be read (Wasm 2.0 rule). Functions
// named by ref.func are added to context.declared_funcs (they belong to C.refs).
Expected<void> validate_const_expr(Context& context, const ConstExpr& expr,
                                   ValType expected, Site site);

// Type-checks function bodies with the algorithm of the spec's validation appendix.
class CodeValidator {
 public:
  explicit CodeValidator(const Context& context) : context_(context) {}

  // `defined_index` indexes module.functions (not the function index space).
  Expected<void> validate_function(uint32_t defined_index);

 private:
  struct TypeList {
    const ValType* data = nullptr;
    uint32_t size = 0;
  };
  struct Frame {
    Opcode op = Opcode::Block;
    TypeList params;
    TypeList results;
    uint32_t height = 0;
    bool unreachable = false;
  };

  bool check(const Instr& instr, InstrReader& reader);
  bool check_special(const Instr& instr, InstrReader& reader);
  bool check_memarg(const Instr& instr);
  bool check_block_type(const BlockType& block, TypeList& params, TypeList& results);

  // The spec algorithm's stack operations; they return false after recording an error.
  void push(ValType type) { vals_.push_back(type); }
  void push(TypeList types);
  bool pop(ValType& actual);
  bool pop_expect(ValType expected, ValType& actual);
  bool pop_expect(ValType expected) {
    // Fast path: a matching value above the current frame's base.
    if (vals_.size() > ctrls_.back().height &&
        (vals_.back() == expected || vals_.back() == kUnknown)) {
      vals_.pop_back();
      return true;
    }
    ValType ignored;
    return pop_expect(expected, ignored);
  }
  bool pop_list(TypeList types);
  bool check_list_in_place(TypeList types);  // pop_list then push back the same values
  void push_frame(Opcode op, TypeList params, TypeList results);
  bool pop_frame(Frame& frame);
  void set_unreachable();
  TypeList label_types(const Frame& frame) const {
    return frame.op == Opcode::Loop ? frame.params : frame.results;
  }
  bool check_label(uint32_t depth);
  bool check_memory(uint32_t index);
  bool check_table(uint32_t index);
  bool check_data(uint32_t index);
  bool check_elem(uint32_t index);
  bool check_func(uint32_t index);
  bool check_type(uint32_t index);

  bool fail(std::string message);
  bool mismatch(ValType expected, ValType actual);

  const Context& context_;
  std::vector<ValType> vals_;
  std::vector<Frame> ctrls_;
  std::vector<ValType> locals_;
  TypeList func_results_;
  std::string error_;
};

}  // namespace lantern::wasm::validation
