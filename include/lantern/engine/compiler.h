// Turns a validated module into a CompiledModule. Each function is lowered once to internal code,
// on its first call (docs/RATIONALE.md, "Functions are lowered on their first call").
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "lantern/util/expected.h"
#include "lantern/wasm/module.h"

namespace lantern::engine {

struct CompiledModule;

// `module` must have passed validation.
Expected<std::shared_ptr<const CompiledModule>> compile_module(wasm::Module module);

// decode + validate + compile.
Expected<std::shared_ptr<const CompiledModule>> load_module(std::span<const uint8_t> bytes);

const wasm::Module& module_of(const CompiledModule& compiled);

// Lowers every function that has not run yet, for an embedder that wants to pay that cost up
// front (and for tests). Safe while other threads run the module.
Expected<void> lower_all_functions(const CompiledModule& compiled);

}  // namespace lantern::engine
