#include <fmt/format.h>

#include "lantern/engine/trap.h"
#include "lantern/engine/value.h"

namespace lantern::engine {

const char* trap_message(TrapKind kind) {
  switch (kind) {
    case TrapKind::Unreachable: return "unreachable";
    case TrapKind::MemoryOutOfBounds: return "out of bounds memory access";
    case TrapKind::TableOutOfBounds: return "out of bounds table access";
    case TrapKind::IntegerDivideByZero: return "integer divide by zero";
    case TrapKind::IntegerOverflow: return "integer overflow";
    case TrapKind::InvalidConversion: return "invalid conversion to integer";
    case TrapKind::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapKind::UndefinedElement: return "undefined element";
    case TrapKind::UninitializedElement: return "uninitialized element";
    case TrapKind::CallStackExhausted: return "call stack exhausted";
    case TrapKind::Interrupted: return "interrupted";
    case TrapKind::Exit: return "exit";
    case TrapKind::Host: return "host error";
  }
  return "trap";
}

std::string to_string(const Value& v) {
  switch (v.type) {
    case ValType::I32: return fmt::format("i32:{}", v.as_i32());
    case ValType::I64: return fmt::format("i64:{}", v.as_i64());
    case ValType::F32: return fmt::format("f32:{}", v.as_f32());
    case ValType::F64: return fmt::format("f64:{}", v.as_f64());
    case ValType::FuncRef:
      return v.is_null() ? "funcref:null" : fmt::format("funcref:{:#x}", v.bits);
    case ValType::ExternRef:
      return v.is_null() ? "externref:null" : fmt::format("externref:{:#x}", v.bits);
    case ValType::V128: return "v128";
  }
  return "?";
}

}  // namespace lantern::engine
