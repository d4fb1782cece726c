#include "wasi/filestat.h"

#include "wasi/fd_table.h"

namespace lantern::wasi {
namespace {

uint64_t nanoseconds(const timespec& ts) {
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

timespec from_nanoseconds(uint64_t ns) {
  return timespec{static_cast<time_t>(ns / 1'000'000'000u), static_cast<long>(ns % 1'000'000'000u)};
}

// preview1 `fstflags`.
constexpr uint32_t kAtim = 1 << 0;
constexpr uint32_t kAtimNow = 1 << 1;
constexpr uint32_t kMtim = 1 << 2;
constexpr uint32_t kMtimNow = 1 << 3;

timespec time_for(uint64_t value, uint32_t flags, uint32_t set, uint32_t now) {
  if (flags & now) return timespec{0, UTIME_NOW};
  if (flags & set) return from_nanoseconds(value);
  return timespec{0, UTIME_OMIT};
}

}  // namespace

Errno store_filestat(GuestMemory& memory, uint32_t ptr, const struct stat& st) {
  if (!memory.contains(ptr, kFilestatSize)) return Errno::Fault;
  memory.store(ptr + 0, static_cast<uint64_t>(st.st_dev));
  memory.store(ptr + 8, static_cast<uint64_t>(st.st_ino));
  memory.store(ptr + 16, static_cast<uint64_t>(filetype_from_mode(st.st_mode)));  // u8 + pad
  memory.store(ptr + 24, static_cast<uint64_t>(st.st_nlink));
  memory.store(ptr + 32, static_cast<uint64_t>(st.st_size));
  memory.store(ptr + 40, nanoseconds(st.st_atim));
  memory.store(ptr + 48, nanoseconds(st.st_mtim));
  memory.store(ptr + 56, nanoseconds(st.st_ctim));
  return Errno::Success;
}

Expected<std::array<timespec, 2>, Errno> timespecs_for(uint64_t atim, uint64_t mtim,
                                                       uint32_t fst_flags) {
  if (((fst_flags & kAtim) && (fst_flags & kAtimNow)) ||
      ((fst_flags & kMtim) && (fst_flags & kMtimNow)) || fst_flags > 0xF) {
    return Expected<std::array<timespec, 2>, Errno>::failure(Errno::Inval);
  }
  return std::array<timespec, 2>{time_for(atim, fst_flags, kAtim, kAtimNow),
                                 time_for(mtim, fst_flags, kMtim, kMtimNow)};
}

}  // namespace lantern::wasi
