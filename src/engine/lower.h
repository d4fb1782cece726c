// Lowering: one validated Wasm function -> CompiledFunction (register-style code over frame slots).
#pragma once

#include "code.h"
#include "lantern/util/expected.h"

namespace lantern::engine {

Expected<CompiledFunction> lower_function(const wasm::Module& module, uint32_t defined_index,
                                          const void* const* handlers);

}  // namespace lantern::engine
