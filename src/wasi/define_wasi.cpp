// Entry point: defines the whole wasi_snapshot_preview1 module in a linker, and the look-ups
// the function files share.
#include <poll.h>

#include "wasi/definer.h"
#include "wasi/path_resolver.h"

namespace lantern::wasi {

void define_wasi(engine::Store& store, engine::Linker& linker, WasiContext& context) {
  context.interrupt = &store.interrupt_flag();
  WasiDefiner definer{store, linker, context};
  define_process_functions(definer);
  define_fd_functions(definer);
  define_fd_stat_functions(definer);
  define_path_functions(definer);
  define_poll_functions(definer);
  define_socket_functions(definer);
}

Expected<FdEntry*, Errno> entry_with_rights(WasiContext& ctx, uint32_t fd, uint64_t needed) {
  FdEntry* entry = ctx.fds().get(fd);
  if (!entry) return Expected<FdEntry*, Errno>::failure(Errno::Badf);
  if (!entry->has(needed)) return Expected<FdEntry*, Errno>::failure(Errno::Notcapable);
  return entry;
}

Expected<FdEntry*, Errno> directory_with_rights(WasiContext& ctx, uint32_t fd, uint64_t needed) {
  FdEntry* entry = ctx.fds().get(fd);
  if (!entry) return Expected<FdEntry*, Errno>::failure(Errno::Badf);
  if (!entry->is_directory() || entry->kind != FdKind::Host) {
    return Expected<FdEntry*, Errno>::failure(Errno::Notdir);
  }
  if (!entry->has(needed)) return Expected<FdEntry*, Errno>::failure(Errno::Notcapable);
  return entry;
}

Expected<std::string, Errno> read_guest_string(const GuestMemory& memory, uint32_t ptr,
                                               uint32_t len) {
  const uint8_t* bytes = memory.range(ptr, len);
  if (!bytes) return Expected<std::string, Errno>::failure(Errno::Fault);
  // Checked before copying: a guest must not make the host allocate gigabytes.
  if (len > kMaxPathLength) return Expected<std::string, Errno>::failure(Errno::Nametoolong);
  return std::string(reinterpret_cast<const char*>(bytes), len);
}

bool wait_for_host_fd(const WasiContext& ctx, int host_fd, short events) {
  constexpr int kSliceMs = 5;  // how late an interrupt may be noticed while blocked
  for (;;) {
    if (ctx.interrupt && ctx.interrupt->load(std::memory_order_relaxed)) return false;
    pollfd p{host_fd, events, 0};
    int n = ::poll(&p, 1, kSliceMs);
    if (n != 0) return true;  // ready, hung up, or an error the caller's I/O call will report
  }
}

}  // namespace lantern::wasi
