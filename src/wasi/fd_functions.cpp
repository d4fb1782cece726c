// preview1 descriptor I/O: read, write, pread, pwrite, seek, tell, close, renumber, sync,
// datasync, advise, allocate.
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "wasi/definer.h"
#include "wasi/rights.h"

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

using engine::Caller;

// The guest's iovec array as host iovecs, every buffer bounds-checked first so a fault moves no
// bytes. At most IOV_MAX buffers and 4 GiB - 1 in all are taken: the rest is a short transfer,
// which preview1 (like POSIX) allows.
Expected<std::vector<iovec>, Errno> host_iovecs(const GuestMemory& memory, uint32_t iovs,
                                                uint32_t count) {
  using Result = Expected<std::vector<iovec>, Errno>;
  if (!memory.contains(iovs, uint64_t{count} * 8)) return Result::failure(Errno::Fault);
  std::vector<iovec> out;
  out.reserve(std::min<uint32_t>(count, IOV_MAX));
  uint64_t total = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t buf = 0, len = 0;
    memory.load(iovs + 8 * i, buf);
    memory.load(iovs + 8 * i + 4, len);
    uint8_t* host = memory.range(buf, len);
    if (!host) return Result::failure(Errno::Fault);
    if (out.size() == IOV_MAX || total + len > UINT32_MAX) continue;  // still bounds-checked
    total += len;
    out.push_back(iovec{host, len});
  }
  return out;
}

Errno store_size(GuestMemory& memory, uint32_t ptr, uint64_t value) {
  return memory.store(ptr, static_cast<uint32_t>(value)) ? Errno::Success : Errno::Fault;
}

bool is_stream(const FdEntry& entry) {
  return entry.type != Filetype::RegularFile && entry.type != Filetype::Directory &&
         entry.type != Filetype::BlockDevice;
}

uint64_t read_stdin_data(WasiContext& ctx, FdEntry& entry, const std::vector<iovec>& vecs) {
  uint64_t total = 0;
  for (const iovec& v : vecs) {
    if (entry.data_pos >= ctx.stdin_data.size()) break;
    size_t n = std::min<size_t>(v.iov_len, ctx.stdin_data.size() - entry.data_pos);
    std::copy_n(ctx.stdin_data.data() + entry.data_pos, n, static_cast<char*>(v.iov_base));
    entry.data_pos += n;
    total += n;
  }
  return total;
}

BlockingResult fd_read(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                       uint32_t nread_ptr) {
  FdEntry* entry = ctx.fds().get(fd);
  if (!entry) return to_result(Errno::Badf);
  if (entry->is_directory()) return to_result(Errno::Isdir);
  if (!entry->has(rights::kFdRead)) return to_result(Errno::Badf);  // not open for reading
  GuestMemory memory(c);
  if (!memory.contains(nread_ptr, 4)) return to_result(Errno::Fault);
  auto vecs = host_iovecs(memory, iovs, iovs_len);
  if (!vecs) return to_result(vecs.error());
  if (entry->kind == FdKind::StdinData) {
    return to_result(store_size(memory, nread_ptr, read_stdin_data(ctx, *entry, *vecs)));
  }
  if (entry->kind != FdKind::Host) return to_result(Errno::Badf);
  if (is_stream(*entry) && !(entry->flags & kFdflagNonblock) &&
      !wait_for_host_fd(ctx, entry->host.get(), POLLIN)) {
    return BlockingResult::failure(engine::Trap::of(engine::TrapKind::Interrupted));
  }
  ssize_t n;
  do {
    n = ::readv(entry->host.get(), vecs->data(), static_cast<int>(vecs->size()));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return to_result(errno_from_host(errno));
  return to_result(store_size(memory, nread_ptr, static_cast<uint64_t>(n)));
}

Errno fd_write(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
               uint32_t nwritten_ptr) {
  FdEntry* entry = ctx.fds().get(fd);
  if (!entry) return Errno::Badf;
  if (entry->is_directory()) return Errno::Isdir;
  if (!entry->has(rights::kFdWrite)) return Errno::Badf;  // not open for writing
  GuestMemory memory(c);
  if (!memory.contains(nwritten_ptr, 4)) return Errno::Fault;
  auto vecs = host_iovecs(memory, iovs, iovs_len);
  if (!vecs) return vecs.error();
  if (entry->kind == FdKind::Stdout || entry->kind == FdKind::Stderr) {
    OutputSink& sink = entry->kind == FdKind::Stdout ? ctx.stdout_sink : ctx.stderr_sink;
    uint64_t total = 0;
    for (const iovec& v : *vecs) {
      if (v.iov_len > 0 && sink) sink({static_cast<const char*>(v.iov_base), v.iov_len});
      total += v.iov_len;
    }
    return store_size(memory, nwritten_ptr, total);
  }
  if (entry->kind != FdKind::Host) return Errno::Badf;
  ssize_t n;
  do {
    n = ::writev(entry->host.get(), vecs->data(), static_cast<int>(vecs->size()));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno_from_host(errno);
  return store_size(memory, nwritten_ptr, static_cast<uint64_t>(n));
}

// pread and pwrite: positioned I/O on a seekable host file.
Errno positioned_io(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                    uint64_t offset, uint32_t result_ptr, bool write) {
  FdEntry* entry = ctx.fds().get(fd);
  if (!entry) return Errno::Badf;
  if (entry->is_directory()) return Errno::Isdir;
  if (!entry->has(write ? rights::kFdWrite : rights::kFdRead)) return Errno::Badf;
  if (entry->kind != FdKind::Host || is_stream(*entry)) return Errno::Spipe;
  if (!entry->has(rights::kFdSeek)) return Errno::Notcapable;
  if (offset > static_cast<uint64_t>(INT64_MAX)) return Errno::Inval;
  GuestMemory memory(c);
  if (!memory.contains(result_ptr, 4)) return Errno::Fault;
  auto vecs = host_iovecs(memory, iovs, iovs_len);
  if (!vecs) return vecs.error();
  ssize_t n;
  do {
    n = write ? ::pwritev(entry->host.get(), vecs->data(), static_cast<int>(vecs->size()),
                          static_cast<off_t>(offset))
              : ::preadv(entry->host.get(), vecs->data(), static_cast<int>(vecs->size()),
                         static_cast<off_t>(offset));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno_from_host(errno);
  return store_size(memory, result_ptr, static_cast<uint64_t>(n));
}

Errno fd_pread(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
               uint64_t offset, uint32_t nread_ptr) {
  return positioned_io(ctx, c, fd, iovs, iovs_len, offset, nread_ptr, false);
}

Errno fd_pwrite(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                uint64_t offset, uint32_t nwritten_ptr) {
  return positioned_io(ctx, c, fd, iovs, iovs_len, offset, nwritten_ptr, true);
}

Errno fd_seek(WasiContext& ctx, Caller& c, uint32_t fd, int64_t offset, uint32_t whence,
              uint32_t newoffset_ptr) {
  FdEntry* entry = ctx.fds().get(fd);
  if (!entry) return Errno::Badf;
  if (entry->kind != FdKind::Host || is_stream(*entry)) return Errno::Spipe;
  // Asking where we are needs only fd_tell.
  bool tell_only = offset == 0 && whence == 1;
  if (!entry->has(rights::kFdSeek) && !(tell_only && entry->has(rights::kFdTell))) {
    return Errno::Notcapable;
  }
  static constexpr int kWhence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  if (whence > 2) return Errno::Inval;
  GuestMemory memory(c);
  if (!memory.contains(newoffset_ptr, 8)) return Errno::Fault;
  off_t result = ::lseek(entry->host.get(), offset, kWhence[whence]);
  if (result < 0) return errno_from_host(errno);
  memory.store(newoffset_ptr, static_cast<uint64_t>(result));
  return Errno::Success;
}

Errno fd_tell(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t offset_ptr) {
  FdEntry* entry = ctx.fds().get(fd);
  if (!entry) return Errno::Badf;
  if (entry->kind != FdKind::Host || is_stream(*entry)) return Errno::Spipe;
  if (!entry->has(rights::kFdTell)) return Errno::Notcapable;
  GuestMemory memory(c);
  if (!memory.contains(offset_ptr, 8)) return Errno::Fault;
  off_t result = ::lseek(entry->host.get(), 0, SEEK_CUR);
  if (result < 0) return errno_from_host(errno);
  memory.store(offset_ptr, static_cast<uint64_t>(result));
  return Errno::Success;
}

Errno fd_close(WasiContext& ctx, Caller&, uint32_t fd) {
  return ctx.fds().close(fd) ? Errno::Success : Errno::Badf;
}

Errno fd_renumber(WasiContext& ctx, Caller&, uint32_t from, uint32_t to) {
  return ctx.fds().renumber(from, to) ? Errno::Success : Errno::Badf;
}

// fd_sync and fd_datasync. The stdio streams have nothing to flush.
Errno sync_descriptor(WasiContext& ctx, uint32_t fd, bool data_only) {
  auto entry = entry_with_rights(ctx, fd, 0);
  if (!entry) return entry.error();
  if ((*entry)->kind != FdKind::Host) return Errno::Success;
  if (!(*entry)->has(data_only ? rights::kFdDatasync : rights::kFdSync)) return Errno::Notcapable;
  int fd_host = (*entry)->host.get();
  int rc = data_only ? ::fdatasync(fd_host) : ::fsync(fd_host);
  return rc == 0 ? Errno::Success : errno_from_host(errno);
}

Errno fd_sync(WasiContext& ctx, Caller&, uint32_t fd) { return sync_descriptor(ctx, fd, false); }
Errno fd_datasync(WasiContext& ctx, Caller&, uint32_t fd) { return sync_descriptor(ctx, fd, true); }

Errno fd_advise(WasiContext& ctx, Caller&, uint32_t fd, uint64_t offset, uint64_t len,
                uint32_t advice) {
  static constexpr int kAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                    POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  auto entry = entry_with_rights(ctx, fd, rights::kFdAdvise);
  if (!entry) return entry.error();
  if (advice > 5 || offset > INT64_MAX || len > INT64_MAX) return Errno::Inval;
  if ((*entry)->kind != FdKind::Host || is_stream(**entry)) return Errno::Spipe;
  if ((*entry)->is_directory()) return Errno::Success;  // advice is only a hint
  int rc = ::posix_fadvise((*entry)->host.get(), static_cast<off_t>(offset),
                           static_cast<off_t>(len), kAdvice[advice]);
  return errno_from_host(rc);
}

Errno fd_allocate(WasiContext& ctx, Caller&, uint32_t fd, uint64_t offset, uint64_t len) {
  auto entry = entry_with_rights(ctx, fd, rights::kFdAllocate);
  if (!entry) return entry.error();
  if ((*entry)->kind != FdKind::Host || is_stream(**entry)) return Errno::Spipe;
  if (offset > INT64_MAX || len > INT64_MAX - offset) return Errno::Inval;
  if ((*entry)->read_only) return Errno::Rofs;
  int host = (*entry)->host.get();
  int rc = ::posix_fallocate(host, static_cast<off_t>(offset), static_cast<off_t>(len));
  if (rc == EOPNOTSUPP || rc == EINVAL) {  // file system without fallocate: grow by truncating
    struct stat st;
    if (::fstat(host, &st) != 0) return errno_from_host(errno);
    uint64_t end = offset + len;
    if (end <= static_cast<uint64_t>(st.st_size)) return Errno::Success;
    rc = ::ftruncate(host, static_cast<off_t>(end)) == 0 ? 0 : errno;
  }
  return errno_from_host(rc);
}

}  // namespace

void define_fd_functions(WasiDefiner& d) {
  d.define("fd_read", fd_read);
  d.define("fd_write", fd_write);
  d.define("fd_pread", fd_pread);
  d.define("fd_pwrite", fd_pwrite);
  d.define("fd_seek", fd_seek);
  d.define("fd_tell", fd_tell);
  d.define("fd_close", fd_close);
  d.define("fd_renumber", fd_renumber);
  d.define("fd_sync", fd_sync);
  d.define("fd_datasync", fd_datasync);
  d.define("fd_advise", fd_advise);
  d.define("fd_allocate", fd_allocate);
}

}  // namespace lantern::wasi
