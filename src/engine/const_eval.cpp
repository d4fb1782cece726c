#include "const_eval.h"

#include "lantern/wasm/instr_reader.h"

namespace lantern::engine {

Expected<uint64_t> eval_const(const wasm::ConstExpr& expr, const Instance& instance) {
  wasm::InstrReader reader(expr.bytes, expr.offset);
  uint64_t value = 0;
  while (!reader.at_end()) {
    auto in = reader.next();
    if (!in) return Unexpected{std::move(in).error()};
    switch (in->op) {
      case wasm::Opcode::I32Const:
      case wasm::Opcode::F32Const: value = static_cast<uint32_t>(in->bits); break;
      case wasm::Opcode::I64Const:
      case wasm::Opcode::F64Const: value = in->bits; break;
      case wasm::Opcode::RefNull: value = 0; break;
      case wasm::Opcode::RefFunc:
        value = reinterpret_cast<uint64_t>(instance.funcs.at(in->a));
        break;
      case wasm::Opcode::GlobalGet: value = instance.globals.at(in->a)->bits; break;
      case wasm::Opcode::End: return value;
      default: return make_error(Phase::Instantiate, "constant expression required", in->offset);
    }
  }
  return value;
}

}  // namespace lantern::engine
