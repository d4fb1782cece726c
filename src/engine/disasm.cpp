#include "disasm.h"

#include <fmt/format.h>

#include <cstring>
#include <unordered_map>

namespace lantern::engine {
namespace {

struct OpShape {
  const char* name;
  int units;  // operand units, -1 for BrTable
};

OpShape shape_of(IOp op) {
  static constexpr OpShape kShapes[] = {
#define WASM_OP(name, prefix, code, text, imm, sig, bytes)                            \
  {text, (wasm::Sig::sig == wasm::Sig::special) ? 0                                   \
         : (bytes)                              ? 3                                   \
         : (wasm::Sig::sig == wasm::Sig::i_v || wasm::Sig::sig == wasm::Sig::I_v ||   \
            wasm::Sig::sig == wasm::Sig::f_v || wasm::Sig::sig == wasm::Sig::F_v)     \
             ? 1                                                                      \
         : (wasm::Sig::sig == wasm::Sig::i_ii || wasm::Sig::sig == wasm::Sig::i_II || \
            wasm::Sig::sig == wasm::Sig::i_ff || wasm::Sig::sig == wasm::Sig::i_FF || \
            wasm::Sig::sig == wasm::Sig::I_II || wasm::Sig::sig == wasm::Sig::f_ff || \
            wasm::Sig::sig == wasm::Sig::F_FF)                                        \
             ? 3                                                                      \
             : 2},
#include "lantern/wasm/opcodes.def"
#undef WASM_OP
#define IOP(name, units) {#name, units},
#include "iops.def"
#undef IOP
  };
  return kShapes[static_cast<size_t>(op)];
}

}  // namespace

std::string disassemble(const CompiledFunction& fn) {
  const void* const* handlers = interpreter_handlers();
  std::unordered_map<const void*, IOp> by_handler;
  for (size_t i = kIOpCount; i-- > 0;) by_handler[handlers[i]] = static_cast<IOp>(i);
  if (!fn.lowered()) return "; not lowered yet (functions are lowered on their first call)\n";
  std::string out = fmt::format("; params {} locals {} frame {}\n", fn.num_params, fn.num_locals,
                                fn.frame_size.load(std::memory_order_relaxed));
  size_t pos = 0;
  while (pos + 2 <= fn.code.size()) {
    const void* handler;
    std::memcpy(&handler, &fn.code[pos], sizeof(handler));
    auto it = by_handler.find(handler);
    if (it == by_handler.end()) {
      out += fmt::format("{:5}: <unknown>\n", pos);
      break;
    }
    OpShape shape = shape_of(it->second);
    int units = shape.units >= 0 ? shape.units : static_cast<int>(3 + fn.code[pos + 3]);
    out += fmt::format("{:5}: {}", pos, shape.name);
    for (int i = 0; i < units && pos + 2 + i < fn.code.size(); ++i)
      out += fmt::format(" {}", static_cast<int32_t>(fn.code[pos + 2 + i]));
    out += '\n';
    pos += 2 + static_cast<size_t>(units);
  }
  return out;
}

}  // namespace lantern::engine
