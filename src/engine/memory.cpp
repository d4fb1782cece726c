// Linear memories reserve their whole address range up front (PROT_NONE) and commit pages as they
// grow, so the base pointer never moves and growth never copies.
#include <sys/mman.h>

#include <algorithm>

#include "lantern/engine/store.h"

namespace lantern::engine {

MemInst::~MemInst() {
  if (data) munmap(data, reserved);
}

int64_t MemInst::grow(uint32_t delta_pages) {
  uint32_t old_pages = pages();
  uint64_t new_pages = uint64_t{old_pages} + delta_pages;
  if (new_pages > max_pages) return -1;
  uint64_t new_size = new_pages * wasm::kPageSize;
  if (new_size > reserved) return -1;
  if (delta_pages == 0) return old_pages;
  if (mprotect(data + size, new_size - size, PROT_READ | PROT_WRITE) != 0) return -1;
  size = new_size;
  return old_pages;
}

// Creates a memory of `type`, limited to `limit_pages`. Returns null when the address space
// cannot be reserved or the initial size cannot be committed.
std::unique_ptr<MemInst> allocate_memory(const wasm::MemoryType& type, uint32_t limit_pages) {
  auto mem = std::make_unique<MemInst>();
  mem->type = type;
  uint32_t max = std::min<uint32_t>(type.limits.max.value_or(wasm::kMaxPages), limit_pages);
  mem->max_pages = max;
  if (type.limits.min > max) return nullptr;
  mem->reserved = std::max<uint64_t>(uint64_t{max} * wasm::kPageSize, wasm::kPageSize);
  void* base =
      mmap(nullptr, mem->reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) {
    mem->reserved = 0;
    return nullptr;
  }
  mem->data = static_cast<uint8_t*>(base);
  if (type.limits.min > 0 && mem->grow(type.limits.min) < 0) return nullptr;
  return mem;
}

int64_t TableInst::grow(uint32_t delta, uint64_t init) {
  uint64_t old = elems.size();
  uint64_t wanted = old + delta;
  uint64_t max = type.limits.max.value_or(0xFFFFFFFFu);
  if (wanted > max || wanted > max_elems) return -1;
  elems.resize(wanted, init);
  return static_cast<int64_t>(old);
}

}  // namespace lantern::engine
