// Binary writer: Module -> bytes. A module decoded from canonical bytes and left unchanged is
// written back byte for byte (same section order, custom sections in place).
#pragma once

#include <cstdint>
#include <vector>

#include "lantern/wasm/module.h"

namespace lantern::wasm {

std::vector<uint8_t> write_module(const Module& module);

}  // namespace lantern::wasm
