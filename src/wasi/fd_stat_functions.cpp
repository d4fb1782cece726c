// preview1 descriptor metadata: fdstat, filestat, prestat and fd_readdir.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "wasi/definer.h"
#include "wasi/filestat.h"
#include "wasi/rights.h"

namespace lantern::wasi {
namespace {

using engine::Caller;

Errno fd_fdstat_get(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t ptr) {
  FdEntry* entry = ctx.fds().get(fd);
  if (!entry) return Errno::Badf;
  GuestMemory memory(c);
  uint8_t* out = memory.range(ptr, 24);
  if (!out) return Errno::Fault;
  std::fill(out, out + 24, uint8_t{0});
  memory.store(ptr, static_cast<uint8_t>(entry->type));
  memory.store(ptr + 2, entry->flags);
  memory.store(ptr + 8, entry->rights_base);
  memory.store(ptr + 16, entry->rights_inheriting);
  return Errno::Success;
}

Errno fd_fdstat_set_flags(WasiContext& ctx, Caller&, uint32_t fd, uint32_t flags) {
  auto entry = entry_with_rights(ctx, fd, rights::kFdFdstatSetFlags);
  if (!entry) return entry.error();
  if (flags > 0x1F) return Errno::Inval;
  // Linux cannot switch synchronous I/O on or off after open.
  if (flags & (kFdflagDsync | kFdflagRsync | kFdflagSync)) return Errno::Notsup;
  FdEntry& e = **entry;
  if (e.kind == FdKind::Host) {
    int host = ::fcntl(e.host.get(), F_GETFL);
    if (host < 0) return errno_from_host(errno);
    host &= ~(O_APPEND | O_NONBLOCK);
    if (flags & kFdflagAppend) host |= O_APPEND;
    if (flags & kFdflagNonblock) host |= O_NONBLOCK;
    if (::fcntl(e.host.get(), F_SETFL, host) != 0) return errno_from_host(errno);
  }
  e.flags = static_cast<uint16_t>(flags);
  return Errno::Success;
}

Errno fd_fdstat_set_rights(WasiContext& ctx, Caller&, uint32_t fd, uint64_t base,
                           uint64_t inheriting) {
  FdEntry* entry = ctx.fds().get(fd);
  if (!entry) return Errno::Badf;
  // Rights can only be given up, never gained.
  if ((base & ~entry->rights_base) || (inheriting & ~entry->rights_inheriting)) {
    return Errno::Notcapable;
  }
  entry->rights_base = base;
  entry->rights_inheriting = inheriting;
  return Errno::Success;
}

Errno fd_filestat_get(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t ptr) {
  auto entry = entry_with_rights(ctx, fd, rights::kFdFilestatGet);
  if (!entry) return entry.error();
  GuestMemory memory(c);
  struct stat st {};
  if ((*entry)->kind == FdKind::Host) {
    if (::fstat((*entry)->host.get(), &st) != 0) return errno_from_host(errno);
  } else {
    st.st_mode = S_IFCHR;  // the in-process stdio streams
    st.st_nlink = 1;
  }
  return store_filestat(memory, ptr, st);
}

Errno fd_filestat_set_size(WasiContext& ctx, Caller&, uint32_t fd, uint64_t size) {
  auto entry = entry_with_rights(ctx, fd, rights::kFdFilestatSetSize);
  if (!entry) return entry.error();
  if ((*entry)->read_only) return Errno::Rofs;
  if ((*entry)->kind != FdKind::Host || size > INT64_MAX) return Errno::Inval;
  if (::ftruncate((*entry)->host.get(), static_cast<off_t>(size)) != 0) {
    return errno_from_host(errno);
  }
  return Errno::Success;
}

Errno fd_filestat_set_times(WasiContext& ctx, Caller&, uint32_t fd, uint64_t atim, uint64_t mtim,
                            uint32_t fst_flags) {
  auto entry = entry_with_rights(ctx, fd, rights::kFdFilestatSetTimes);
  if (!entry) return entry.error();
  auto times = timespecs_for(atim, mtim, fst_flags);
  if (!times) return times.error();
  if ((*entry)->read_only) return Errno::Rofs;
  if ((*entry)->kind != FdKind::Host) return Errno::Success;  // stdio streams keep no times
  if (::futimens((*entry)->host.get(), times->data()) != 0) return errno_from_host(errno);
  return Errno::Success;
}

Errno fd_prestat_get(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t ptr) {
  FdEntry* entry = ctx.fds().get(fd);
  if (!entry || !entry->preopen_name) return Errno::Badf;
  GuestMemory memory(c);
  if (!memory.contains(ptr, 8)) return Errno::Fault;
  memory.store(ptr, uint32_t{0});  // tag: directory (u8, padded)
  memory.store(ptr + 4, static_cast<uint32_t>(entry->preopen_name->size()));
  return Errno::Success;
}

Errno fd_prestat_dir_name(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t ptr, uint32_t len) {
  FdEntry* entry = ctx.fds().get(fd);
  if (!entry || !entry->preopen_name) return Errno::Badf;
  if (len < entry->preopen_name->size()) return Errno::Nametoolong;
  GuestMemory memory(c);
  return memory.store_bytes(ptr, *entry->preopen_name) ? Errno::Success : Errno::Fault;
}

// Reads the whole directory once; "." and ".." first (as wasmtime and wazero do), then the rest
// sorted by name so cookies stay stable and listings are deterministic.
Expected<std::shared_ptr<const DirListing>, Errno> list_directory(int dir_fd) {
  using Result = Expected<std::shared_ptr<const DirListing>, Errno>;
  int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Result::failure(errno_from_host(errno));
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    int error = errno;
    ::close(fd);
    return Result::failure(errno_from_host(error));
  }
  auto listing = std::make_shared<DirListing>();
  errno = 0;
  while (dirent* d = ::readdir(dir)) {
    DirListing::Entry entry{d->d_name, d->d_ino, Filetype::Unknown};
    struct stat st;
    if (d->d_type != DT_UNKNOWN) {
      entry.type = filetype_from_mode(DTTOIF(d->d_type));
    } else if (::fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
      entry.type = filetype_from_mode(st.st_mode);
    }
    listing->entries.push_back(std::move(entry));
  }
  int error = errno;
  ::closedir(dir);
  if (error != 0) return Result::failure(errno_from_host(error));
  auto rank = [](const std::string& name) { return name == "." ? 0 : name == ".." ? 1 : 2; };
  std::sort(listing->entries.begin(), listing->entries.end(), [&](const auto& a, const auto& b) {
    if (rank(a.name) != rank(b.name)) return rank(a.name) < rank(b.name);
    return a.name < b.name;
  });
  return std::shared_ptr<const DirListing>(std::move(listing));
}

Errno fd_readdir(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t buf, uint32_t buf_len,
                 uint64_t cookie, uint32_t bufused_ptr) {
  auto entry = directory_with_rights(ctx, fd, rights::kFdReaddir);
  if (!entry) return entry.error();
  GuestMemory memory(c);
  uint8_t* out = memory.range(buf, buf_len);
  if (!out || !memory.contains(bufused_ptr, 4)) return Errno::Fault;
  FdEntry& e = **entry;
  if (cookie == 0 || !e.listing) {
    auto listing = list_directory(e.host.get());
    if (!listing) return listing.error();
    e.listing = std::move(*listing);
  }
  // Each entry is a 24-byte dirent followed by its name; the last one may be cut short, which
  // tells the guest to come back with a bigger buffer.
  uint32_t used = 0;
  for (uint64_t i = cookie; i < e.listing->entries.size() && used < buf_len; ++i) {
    const DirListing::Entry& d = e.listing->entries[i];
    uint8_t header[24] = {};
    uint64_t next = i + 1;
    uint32_t name_len = static_cast<uint32_t>(d.name.size());
    std::memcpy(header, &next, 8);
    std::memcpy(header + 8, &d.inode, 8);
    std::memcpy(header + 16, &name_len, 4);
    header[20] = static_cast<uint8_t>(d.type);
    uint32_t n = std::min<uint32_t>(24, buf_len - used);
    std::memcpy(out + used, header, n);
    used += n;
    n = std::min<uint32_t>(name_len, buf_len - used);
    std::memcpy(out + used, d.name.data(), n);
    used += n;
  }
  memory.store(bufused_ptr, used);
  return Errno::Success;
}

}  // namespace

void define_fd_stat_functions(WasiDefiner& d) {
  d.define("fd_fdstat_get", fd_fdstat_get);
  d.define("fd_fdstat_set_flags", fd_fdstat_set_flags);
  d.define("fd_fdstat_set_rights", fd_fdstat_set_rights);
  d.define("fd_filestat_get", fd_filestat_get);
  d.define("fd_filestat_set_size", fd_filestat_set_size);
  d.define("fd_filestat_set_times", fd_filestat_set_times);
  d.define("fd_prestat_get", fd_prestat_get);
  d.define("fd_prestat_dir_name", fd_prestat_dir_name);
  d.define("fd_readdir", fd_readdir);
}

}  // namespace lantern::wasi
