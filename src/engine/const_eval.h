// Evaluates constant expressions (global initialisers, segment offsets and element items).
#pragma once

#include "lantern/engine/store.h"
#include "lantern/util/expected.h"

namespace lantern::engine {

// `instance` provides globals and functions already allocated; the expression is valid.
Expected<uint64_t> eval_const(const wasm::ConstExpr& expr, const Instance& instance);

}  // namespace lantern::engine
