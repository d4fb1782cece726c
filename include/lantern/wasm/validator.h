// Validator: the spec's validation rules for a decoded module (Wasm 2.0 without SIMD).
#pragma once

#include "lantern/util/expected.h"
#include "lantern/wasm/module.h"

namespace lantern::wasm {

// Errors carry phase Validate, the section, function index and byte offset of the offending
// instruction; messages begin with the spec test suite's wording ("type mismatch",
// "unknown local", "alignment must not be larger than natural", ...).
Expected<void> validate_module(const Module& module);

}  // namespace lantern::wasm
