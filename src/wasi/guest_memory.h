// Bounds-checked access to the calling instance's memory 0. Every guest pointer WASI receives
// goes through here, so a wild pointer becomes EFAULT instead of a host crash.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "lantern/engine/store.h"

namespace lantern::wasi {

class GuestMemory {
 public:
  explicit GuestMemory(engine::Caller& caller) : memory_(caller.memory()) {}

  // Address of [ptr, ptr + len) in host memory, or nullptr when any of it is out of bounds.
  uint8_t* range(uint32_t ptr, uint64_t len) const {
    if (!memory_) return nullptr;
    if (uint64_t{ptr} + len > memory_->size) return nullptr;
    return memory_->data + ptr;
  }
  bool contains(uint32_t ptr, uint64_t len) const { return range(ptr, len) != nullptr; }

  template <typename T>
  bool load(uint32_t ptr, T& out) const {
    const uint8_t* p = range(ptr, sizeof(T));
    if (!p) return false;
    std::memcpy(&out, p, sizeof(T));  // Wasm memory is little-endian, like the hosts we build on
    return true;
  }
  template <typename T>
  bool store(uint32_t ptr, T value) {
    uint8_t* p = range(ptr, sizeof(T));
    if (!p) return false;
    std::memcpy(p, &value, sizeof(T));
    return true;
  }
  bool store_bytes(uint32_t ptr, std::string_view bytes) {
    uint8_t* p = range(ptr, bytes.size());
    if (!p) return false;
    if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
    return true;
  }

 private:
  engine::MemInst* memory_;
};

}  // namespace lantern::wasi
