// A trap is a value: why execution stopped, with the spec's message and a Wasm backtrace.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lantern::engine {

enum class TrapKind : uint8_t {
  Unreachable,
  MemoryOutOfBounds,
  TableOutOfBounds,
  IntegerDivideByZero,
  IntegerOverflow,
  InvalidConversion,
  IndirectCallTypeMismatch,
  UndefinedElement,
  UninitializedElement,
  CallStackExhausted,
  Interrupted,  // the store's interrupt flag was raised (timeouts, cancellation)
  Exit,         // the guest asked to exit (WASI proc_exit); exit_code holds the status
  Host,         // a host function failed; message says why
};

// The spec test suite's wording for each kind (e.g. "integer divide by zero").
const char* trap_message(TrapKind kind);

struct BacktraceFrame {
  uint32_t func_index = 0;  // index in its module's function index space
  std::string name;         // from the name section, export/import names, or func[N]
};

struct Trap {
  TrapKind kind = TrapKind::Unreachable;
  std::string message;  // trap_message(kind) unless the host supplied its own
  int32_t exit_code = 0;
  std::vector<BacktraceFrame> backtrace;  // innermost first

  static Trap of(TrapKind kind) { return Trap{kind, trap_message(kind), 0, {}}; }
  static Trap host(std::string message) { return Trap{TrapKind::Host, std::move(message), 0, {}}; }
  static Trap exit(int32_t code) { return Trap{TrapKind::Exit, "exit", code, {}}; }
};

}  // namespace lantern::engine
