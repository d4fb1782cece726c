// Lowered code: the internal instruction set and the compiled forms of functions and modules.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lantern/wasm/module.h"
#include "lantern/wasm/opcode.h"

namespace lantern::engine {

// Internal opcodes: every Wasm opcode as W<Name> (only the generically typed ones get
// handlers), followed by the engine's own instructions from iops.def.
enum class IOp : uint16_t {
#define WASM_OP(name, prefix, code, text, imm, sig, bytes) W##name,
#include "lantern/wasm/opcodes.def"
#undef WASM_OP
#define IOP(name, units) name,
#include "iops.def"
#undef IOP
  Count,
};
inline constexpr size_t kIOpCount = static_cast<size_t>(IOp::Count);

inline IOp iop_of(wasm::Opcode op) { return static_cast<IOp>(op); }

// Frame slot: every Wasm value occupies one 8-byte slot.
union Slot {
  uint64_t u64;
  int64_t i64;
  uint32_t u32;
  int32_t i32;
  float f32;
  double f64;
};
static_assert(sizeof(Slot) == 8);

struct CompiledFunction {
  std::vector<uint32_t> code;  // handler address (2 units) followed by operand units, repeated
  uint32_t num_params = 0;
  uint32_t num_results = 0;
  uint32_t num_locals = 0;  // slots set on entry: params, declared locals, zero slot, constants
  uint32_t const_base = 0;  // first constant slot; [num_params, const_base) is zeroed on entry
  std::vector<uint64_t> consts;  // copied to [const_base, num_locals) on entry
  uint32_t frame_size = 0;       // locals + deepest operand stack
  uint32_t func_index = 0;       // in the module's function index space
};

struct CompiledModule {
  wasm::Module module;
  std::vector<CompiledFunction> functions;  // one per defined function
  std::vector<std::string> function_names;  // debug names for the whole function index space
};

// Handler addresses of the interpreter, indexed by IOp (computed-goto labels).
const void* const* interpreter_handlers();

}  // namespace lantern::engine
