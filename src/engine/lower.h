// Lowering: one validated Wasm function -> CompiledFunction (register-style code over frame slots).
#pragma once

#include "code.h"
#include "lantern/util/expected.h"

namespace lantern::engine {

// `functions` points at the module's CompiledFunction array (one per defined function, at stable
// addresses): direct calls to defined functions embed their callee's address, lowered or not.
// Fills the code fields of `out` and returns its frame size, which the caller publishes.
Expected<uint32_t> lower_function(const wasm::Module& module, uint32_t defined_index,
                                  const void* const* handlers, const CompiledFunction* functions,
                                  CompiledFunction& out);

}  // namespace lantern::engine
