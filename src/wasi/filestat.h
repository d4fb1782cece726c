// preview1 `filestat` and the time-setting flags shared by the fd_ and path_ functions.
#pragma once

#include <sys/stat.h>
#include <time.h>

#include <array>
#include <cstdint>

#include "lantern/util/expected.h"
#include "lantern/wasi/wasi.h"
#include "wasi/guest_memory.h"

namespace lantern::wasi {

inline constexpr uint32_t kFilestatSize = 64;

// Writes the 64-byte filestat for `st` at `ptr`.
Errno store_filestat(GuestMemory& memory, uint32_t ptr, const struct stat& st);

// The futimens/utimensat times for preview1's (atim, mtim, fst_flags); EINVAL when a time is
// both given and "now".
Expected<std::array<timespec, 2>, Errno> timespecs_for(uint64_t atim, uint64_t mtim,
                                                       uint32_t fst_flags);

}  // namespace lantern::wasi
