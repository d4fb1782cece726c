// Turns a validated module into a CompiledModule: each function lowered once to internal code.
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

}  // namespace lantern::engine
