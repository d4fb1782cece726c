// Text listing of lowered code, for debugging the lowering and for tests that check its shape.
#pragma once

#include <string>

#include "code.h"

namespace lantern::engine {

std::string disassemble(const CompiledFunction& fn);

}  // namespace lantern::engine
