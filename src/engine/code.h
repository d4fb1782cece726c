// Lowered code: the internal instruction set and the compiled forms of functions and modules.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lantern/util/expected.h"
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

// A function's lowered code. Functions are lowered on their first call (compiler.cpp,
// lower_lazily), not when the module loads: a command usually runs a small part of the code it
// links, and lowering was most of its start-up. Validation stays eager and complete.
//
// A CompiledModule may run in several stores on several threads at once, so the lowered fields
// are published through `frame_size`: lowering writes them, then stores the real frame size
// with release; a caller loads frame_size with acquire before reading them. Until then it holds
// kNotLowered, which fails the interpreter's stack check on entry, so the existing unlikely path
// of that check notices an unlowered callee and the common path of a call stays as it was.
struct CompiledFunction {
  static constexpr uint32_t kNotLowered = ~uint32_t{0};

  // Set when the module is compiled:
  uint32_t num_params = 0;
  uint32_t num_results = 0;
  uint32_t func_index = 0;  // in the module's function index space
  // Set by lowering, published by frame_size:
  std::vector<uint32_t> code;  // handler address (2 units) followed by operand units, repeated
  uint32_t num_locals = 0;     // slots set on entry: params, declared locals, zero slot, constants
  uint32_t const_base = 0;     // first constant slot; [num_params, const_base) is zeroed on entry
  std::vector<uint64_t> consts;  // copied to [const_base, num_locals) on entry
  // Locals + deepest operand stack; kNotLowered until the code above is complete.
  std::atomic<uint32_t> frame_size{kNotLowered};

  bool lowered() const { return frame_size.load(std::memory_order_acquire) != kNotLowered; }
};

struct CompiledModule {
  wasm::Module module;
  // One per defined function, at stable addresses (direct calls embed them). Lowering fills
  // them in on first call, so they are not part of the module's logical constness.
  mutable std::vector<CompiledFunction> functions;
  std::vector<std::string> function_names;  // debug names for the whole function index space
  mutable std::mutex lower_mutex;           // serialises lazy lowering of this module
};

// Lowers function `defined_index` of `compiled` unless that has been done; safe to call from
// several threads. Fails only on an internal error (a validated body the lowering rejects).
Expected<void> lower_lazily(const CompiledModule& compiled, uint32_t defined_index);

// Handler addresses of the interpreter, indexed by IOp (computed-goto labels).
const void* const* interpreter_handlers();

}  // namespace lantern::engine
