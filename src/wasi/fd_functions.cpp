// preview1 descriptor functions for the three stdio descriptors. There is no filesystem yet:
// any other descriptor is EBADF, and there are no preopens.
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "wasi/definer.h"
#include "wasi/guest_memory.h"

namespace lantern::wasi {

OutputSink fd_sink(int host_fd) {
  return [host_fd](std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::write(host_fd, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return;  // the host stream is gone; the guest cannot do better than we can
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  };
}

namespace {

constexpr uint8_t kFiletypeCharacterDevice = 2;
// Rights bits (preview1 `rights`).
constexpr uint64_t kRightFdRead = 1ull << 1;
constexpr uint64_t kRightFdFdstatSetFlags = 1ull << 3;
constexpr uint64_t kRightFdWrite = 1ull << 6;
constexpr uint64_t kRightPollFdReadwrite = 1ull << 27;

bool is_open_stdio(const WasiContext& ctx, uint32_t fd) { return fd < 3 && !ctx.closed[fd]; }

struct IoVec {
  uint32_t buf = 0;
  uint32_t len = 0;
};

// Reads iovec `index` of the array at `iovs`; false when any of it lies outside memory.
bool load_iovec(const GuestMemory& memory, uint32_t iovs, uint32_t index, IoVec& out) {
  uint64_t at = uint64_t{iovs} + uint64_t{index} * 8;
  if (at > UINT32_MAX) return false;
  return memory.load(static_cast<uint32_t>(at), out.buf) &&
         memory.load(static_cast<uint32_t>(at + 4), out.len);
}

int32_t fd_write(WasiContext& ctx, engine::Caller& c, uint32_t fd, uint32_t iovs,
                 uint32_t iovs_len, uint32_t nwritten_ptr) {
  if ((fd != 1 && fd != 2) || !is_open_stdio(ctx, fd)) return to_result(Errno::Badf);
  GuestMemory memory(c);
  if (!memory.contains(nwritten_ptr, 4)) return to_result(Errno::Fault);
  // Check every buffer before writing any, so a fault writes nothing.
  uint64_t total = 0;
  for (uint32_t i = 0; i < iovs_len; ++i) {
    IoVec v;
    if (!load_iovec(memory, iovs, i, v) || !memory.contains(v.buf, v.len)) {
      return to_result(Errno::Fault);
    }
    total += v.len;
  }
  if (total > UINT32_MAX) return to_result(Errno::Inval);
  OutputSink& sink = fd == 1 ? ctx.stdout_sink : ctx.stderr_sink;
  for (uint32_t i = 0; i < iovs_len; ++i) {
    IoVec v;
    load_iovec(memory, iovs, i, v);
    if (v.len > 0 && sink) {
      sink(std::string_view(reinterpret_cast<const char*>(memory.range(v.buf, v.len)), v.len));
    }
  }
  memory.store(nwritten_ptr, static_cast<uint32_t>(total));
  return to_result(Errno::Success);
}

int32_t fd_read(WasiContext& ctx, engine::Caller& c, uint32_t fd, uint32_t iovs,
                uint32_t iovs_len, uint32_t nread_ptr) {
  if (fd != 0 || !is_open_stdio(ctx, fd)) return to_result(Errno::Badf);
  GuestMemory memory(c);
  if (!memory.contains(nread_ptr, 4)) return to_result(Errno::Fault);
  for (uint32_t i = 0; i < iovs_len; ++i) {
    IoVec v;
    if (!load_iovec(memory, iovs, i, v) || !memory.contains(v.buf, v.len)) {
      return to_result(Errno::Fault);
    }
  }
  uint64_t total = 0;
  for (uint32_t i = 0; i < iovs_len && ctx.stdin_pos < ctx.stdin_data.size(); ++i) {
    IoVec v;
    load_iovec(memory, iovs, i, v);
    size_t n = std::min<size_t>(v.len, ctx.stdin_data.size() - ctx.stdin_pos);
    memory.store_bytes(v.buf, std::string_view(ctx.stdin_data).substr(ctx.stdin_pos, n));
    ctx.stdin_pos += n;
    total += n;
  }
  memory.store(nread_ptr, static_cast<uint32_t>(total));
  return to_result(Errno::Success);
}

int32_t fd_fdstat_get(WasiContext& ctx, engine::Caller& c, uint32_t fd, uint32_t stat_ptr) {
  if (!is_open_stdio(ctx, fd)) return to_result(Errno::Badf);
  GuestMemory memory(c);
  uint8_t* out = memory.range(stat_ptr, 24);
  if (!out) return to_result(Errno::Fault);
  uint64_t rights = kRightFdFdstatSetFlags | kRightPollFdReadwrite;
  rights |= fd == 0 ? kRightFdRead : kRightFdWrite;
  std::fill(out, out + 24, uint8_t{0});
  memory.store(stat_ptr, kFiletypeCharacterDevice);     // fs_filetype
  memory.store(stat_ptr + 2, uint16_t{0});             // fs_flags
  memory.store(stat_ptr + 8, rights);                   // fs_rights_base
  memory.store(stat_ptr + 16, uint64_t{0});             // fs_rights_inheriting
  return to_result(Errno::Success);
}

int32_t fd_filestat_get(WasiContext& ctx, engine::Caller& c, uint32_t fd, uint32_t stat_ptr) {
  if (!is_open_stdio(ctx, fd)) return to_result(Errno::Badf);
  GuestMemory memory(c);
  uint8_t* out = memory.range(stat_ptr, 64);
  if (!out) return to_result(Errno::Fault);
  std::fill(out, out + 64, uint8_t{0});
  memory.store(stat_ptr + 16, kFiletypeCharacterDevice);  // filetype; dev, ino, sizes, times 0
  memory.store(stat_ptr + 24, uint64_t{1});               // nlink
  return to_result(Errno::Success);
}

}  // namespace

void define_fd_functions(WasiDefiner& d) {
  WasiContext& ctx = d.context;
  using engine::Caller;

  d.define("fd_write", engine::host_function([&ctx](Caller& c, uint32_t fd, uint32_t iovs,
                                                    uint32_t iovs_len, uint32_t nwritten) {
    return fd_write(ctx, c, fd, iovs, iovs_len, nwritten);
  }));
  d.define("fd_read", engine::host_function([&ctx](Caller& c, uint32_t fd, uint32_t iovs,
                                                   uint32_t iovs_len, uint32_t nread) {
    return fd_read(ctx, c, fd, iovs, iovs_len, nread);
  }));
  d.define("fd_close", engine::host_function([&ctx](Caller&, uint32_t fd) -> int32_t {
    if (!is_open_stdio(ctx, fd)) return to_result(Errno::Badf);
    ctx.closed[fd] = true;
    return to_result(Errno::Success);
  }));
  d.define("fd_fdstat_get", engine::host_function([&ctx](Caller& c, uint32_t fd, uint32_t ptr) {
    return fd_fdstat_get(ctx, c, fd, ptr);
  }));
  d.define("fd_fdstat_set_flags", engine::host_function([&ctx](Caller&, uint32_t fd,
                                                               uint32_t flags) -> int32_t {
    if (!is_open_stdio(ctx, fd)) return to_result(Errno::Badf);
    return to_result(flags == 0 ? Errno::Success : Errno::Nosys);
  }));
  d.define("fd_filestat_get", engine::host_function([&ctx](Caller& c, uint32_t fd,
                                                           uint32_t ptr) {
    return fd_filestat_get(ctx, c, fd, ptr);
  }));
  d.define("fd_prestat_get", engine::host_function([](Caller&, uint32_t, uint32_t) -> int32_t {
    return to_result(Errno::Badf);  // no preopened directories
  }));
  d.define("fd_prestat_dir_name", engine::host_function([](Caller&, uint32_t, uint32_t,
                                                           uint32_t) -> int32_t {
    return to_result(Errno::Badf);
  }));
  d.define("fd_seek", engine::host_function([&ctx](Caller&, uint32_t fd, int64_t, uint32_t,
                                                   uint32_t) -> int32_t {
    return to_result(is_open_stdio(ctx, fd) ? Errno::Spipe : Errno::Badf);
  }));
  d.define("fd_tell", engine::host_function([&ctx](Caller&, uint32_t fd, uint32_t) -> int32_t {
    return to_result(is_open_stdio(ctx, fd) ? Errno::Spipe : Errno::Badf);
  }));
  d.define("fd_sync", engine::host_function([&ctx](Caller&, uint32_t fd) -> int32_t {
    return to_result(is_open_stdio(ctx, fd) ? Errno::Success : Errno::Badf);
  }));
  d.define("fd_datasync", engine::host_function([&ctx](Caller&, uint32_t fd) -> int32_t {
    return to_result(is_open_stdio(ctx, fd) ? Errno::Success : Errno::Badf);
  }));
}

}  // namespace lantern::wasi
