// The interpreter's per-store state and entry point.
#pragma once

#include <memory>

#include "code.h"
#include "lantern/engine/store.h"

namespace lantern::engine {

struct Frame {
  const uint32_t* ret_ip;
  Slot* fp;
  Instance* inst;
  const FuncInst* func;
};

// Stacks are allocated uninitialised so their pages are only touched when used (fast start-up).
struct Store::Runtime {
  explicit Runtime(const StoreLimits& limits)
      : stack(new Slot[limits.value_stack_slots]),
        stack_slots(limits.value_stack_slots),
        frames(new Frame[limits.max_call_depth + 1]),
        max_frames(limits.max_call_depth),
        top(stack.get()) {}
  std::unique_ptr<Slot[]> stack;
  size_t stack_slots;
  std::unique_ptr<Frame[]> frames;
  size_t max_frames;
  size_t depth = 0;     // frames in use (across nested host -> wasm calls)
  Slot* top = nullptr;  // first free slot: where a nested call's arguments go
};

// Calls `func` with its arguments in base[0..params); results are left in base[0..results).
// `base` must be rt.top or above, inside rt.stack.
Expected<void, Trap> execute(Store& store, Store::Runtime& rt, const FuncInst& func, Slot* base);

}  // namespace lantern::engine
