// preview1 path_* functions. Every path goes through resolve_path (the sandbox); the host call
// then acts on (directory descriptor, last component) with *at() and O_NOFOLLOW, so nothing the
// resolver did not check is ever followed.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "wasi/definer.h"
#include "wasi/filestat.h"
#include "wasi/path_resolver.h"
#include "wasi/rights.h"

namespace lantern::wasi {
namespace {

using engine::Caller;

constexpr uint32_t kLookupSymlinkFollow = 1;
// preview1 `oflags`.
constexpr uint32_t kOflagCreat = 1 << 0;
constexpr uint32_t kOflagDirectory = 1 << 1;
constexpr uint32_t kOflagExcl = 1 << 2;
constexpr uint32_t kOflagTrunc = 1 << 3;

struct PathTarget {
  FdEntry* dir = nullptr;
  ResolvedPath path;
};

// Looks up directory descriptor `fd` (which must hold `needed`) and resolves the guest path
// [path_ptr, path_ptr + path_len) beneath it.
Expected<PathTarget, Errno> resolve(WasiContext& ctx, Caller& c, uint32_t fd, uint64_t needed,
                                    uint32_t path_ptr, uint32_t path_len, bool follow) {
  using Result = Expected<PathTarget, Errno>;
  auto dir = directory_with_rights(ctx, fd, needed);
  if (!dir) return Result::failure(dir.error());
  auto path = read_guest_string(GuestMemory(c), path_ptr, path_len);
  if (!path) return Result::failure(path.error());
  auto resolved = resolve_path((*dir)->host.get(), *path, follow);
  if (!resolved) return Result::failure(resolved.error());
  return PathTarget{*dir, std::move(*resolved)};
}

Errno host_result(int rc) { return rc == 0 ? Errno::Success : errno_from_host(errno); }

// For operations on a path written with a trailing slash: it must be a directory.
Errno check_directory(const ResolvedPath& p) {
  if (!p.must_be_directory) return Errno::Success;
  struct stat st;
  if (::fstatat(p.dir_fd, p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return errno_from_host(errno);
  }
  return S_ISDIR(st.st_mode) ? Errno::Success : Errno::Notdir;
}

int host_open_flags(uint32_t oflags, uint64_t rights_base, uint32_t fdflags, bool directory) {
  bool read = rights_base & rights::kReadAccess;
  bool write = rights_base & rights::kWriteAccess;
  int flags = O_CLOEXEC | O_NOFOLLOW;  // the resolver has followed every symlink it should
  flags |= write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (oflags & kOflagCreat) flags |= O_CREAT;
  if (oflags & kOflagExcl) flags |= O_EXCL;
  if (oflags & kOflagTrunc) flags |= O_TRUNC;
  if (directory) flags |= O_DIRECTORY;
  if (fdflags & kFdflagAppend) flags |= O_APPEND;
  if (fdflags & kFdflagNonblock) flags |= O_NONBLOCK;
  if (fdflags & kFdflagDsync) flags |= O_DSYNC;
  if (fdflags & kFdflagSync) flags |= O_SYNC;
  if (fdflags & kFdflagRsync) flags |= O_RSYNC;
  return flags;
}

Errno path_open(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t dirflags, uint32_t path_ptr,
                uint32_t path_len, uint32_t oflags, uint64_t rights_base,
                uint64_t rights_inheriting, uint32_t fdflags, uint32_t opened_fd_ptr) {
  if (oflags > 0xF || fdflags > 0x1F) return Errno::Inval;
  uint64_t needed = rights::kPathOpen;
  if (oflags & kOflagCreat) needed |= rights::kPathCreateFile;
  if (oflags & kOflagTrunc) needed |= rights::kPathFilestatSetSize;
  auto target = resolve(ctx, c, fd, needed, path_ptr, path_len, dirflags & kLookupSymlinkFollow);
  if (!target) return target.error();
  GuestMemory memory(c);
  if (!memory.contains(opened_fd_ptr, 4)) return Errno::Fault;
  FdEntry& dir = *target->dir;
  // A descriptor never gets more than its directory may hand out.
  rights_base &= dir.rights_inheriting;
  rights_inheriting &= dir.rights_inheriting;
  bool changes = (oflags & (kOflagCreat | kOflagTrunc)) || (rights_base & rights::kWriteAccess);
  if (dir.read_only && changes) return Errno::Rofs;

  const ResolvedPath& p = target->path;
  bool directory = (oflags & kOflagDirectory) || p.must_be_directory;
  // A directory is never open for writing; rights asked for "everything" must not make it fail.
  if (directory) rights_base &= ~rights::kWriteAccess;
  int host = ::openat(p.dir_fd, p.name.c_str(),
                      host_open_flags(oflags, rights_base, fdflags, directory), 0666);
  if (host < 0) return errno_from_host(errno);
  FdEntry entry;
  entry.host.reset(host);
  struct stat st;
  if (::fstat(host, &st) != 0) return errno_from_host(errno);
  entry.type = filetype_from_mode(st.st_mode);
  entry.flags = static_cast<uint16_t>(fdflags);
  entry.read_only = dir.read_only;
  if (entry.is_directory()) {
    entry.rights_base = rights_base & rights::kDirectory;
    entry.rights_inheriting = rights_inheriting;
  } else {
    uint64_t allowed = entry.type == Filetype::RegularFile ? rights::kRegularFile : rights::kStream;
    entry.rights_base = rights_base & allowed;
  }
  auto opened = ctx.fds().insert(std::move(entry));
  if (!opened) return opened.error();
  memory.store(opened_fd_ptr, *opened);
  return Errno::Success;
}

Errno path_create_directory(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t path_ptr,
                            uint32_t path_len) {
  auto t = resolve(ctx, c, fd, rights::kPathCreateDirectory, path_ptr, path_len, false);
  if (!t) return t.error();
  if (t->dir->read_only) return Errno::Rofs;
  return host_result(::mkdirat(t->path.dir_fd, t->path.name.c_str(), 0777));
}

Errno path_remove_directory(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t path_ptr,
                            uint32_t path_len) {
  auto t = resolve(ctx, c, fd, rights::kPathRemoveDirectory, path_ptr, path_len, false);
  if (!t) return t.error();
  if (t->dir->read_only) return Errno::Rofs;
  return host_result(::unlinkat(t->path.dir_fd, t->path.name.c_str(), AT_REMOVEDIR));
}

Errno path_unlink_file(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t path_ptr,
                       uint32_t path_len) {
  auto t = resolve(ctx, c, fd, rights::kPathUnlinkFile, path_ptr, path_len, false);
  if (!t) return t.error();
  if (t->dir->read_only) return Errno::Rofs;
  if (t->path.must_be_directory) {  // "name/" names a directory, which unlink refuses
    Errno e = check_directory(t->path);
    return e == Errno::Success ? Errno::Isdir : e;
  }
  return host_result(::unlinkat(t->path.dir_fd, t->path.name.c_str(), 0));
}

Errno path_rename(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t old_ptr, uint32_t old_len,
                  uint32_t new_fd, uint32_t new_ptr, uint32_t new_len) {
  auto from = resolve(ctx, c, fd, rights::kPathRenameSource, old_ptr, old_len, false);
  if (!from) return from.error();
  auto to = resolve(ctx, c, new_fd, rights::kPathRenameTarget, new_ptr, new_len, false);
  if (!to) return to.error();
  if (from->dir->read_only || to->dir->read_only) return Errno::Rofs;
  if (to->path.must_be_directory) {  // "x/" as a target needs a directory source
    ResolvedPath& src = from->path;
    src.must_be_directory = true;
  }
  if (Errno e = check_directory(from->path); e != Errno::Success) return e;
  return host_result(::renameat(from->path.dir_fd, from->path.name.c_str(), to->path.dir_fd,
                                to->path.name.c_str()));
}

Errno path_link(WasiContext& ctx, Caller& c, uint32_t old_fd, uint32_t old_flags, uint32_t old_ptr,
                uint32_t old_len, uint32_t new_fd, uint32_t new_ptr, uint32_t new_len) {
  auto from = resolve(ctx, c, old_fd, rights::kPathLinkSource, old_ptr, old_len,
                      old_flags & kLookupSymlinkFollow);
  if (!from) return from.error();
  auto to = resolve(ctx, c, new_fd, rights::kPathLinkTarget, new_ptr, new_len, false);
  if (!to) return to.error();
  if (to->dir->read_only) return Errno::Rofs;
  return host_result(::linkat(from->path.dir_fd, from->path.name.c_str(), to->path.dir_fd,
                              to->path.name.c_str(), 0));
}

Errno path_symlink(WasiContext& ctx, Caller& c, uint32_t target_ptr, uint32_t target_len,
                   uint32_t fd, uint32_t path_ptr, uint32_t path_len) {
  auto contents = read_guest_string(GuestMemory(c), target_ptr, target_len);
  if (!contents) return contents.error();
  auto t = resolve(ctx, c, fd, rights::kPathSymlink, path_ptr, path_len, false);
  if (!t) return t.error();
  if (t->dir->read_only) return Errno::Rofs;
  // The resolver would never follow such a link, but other host programs that later read the
  // directory (result uploaders, say) would: refuse to plant one.
  if (!symlink_target_stays_inside(*contents, t->path.depth)) return Errno::Perm;
  if (contents->find('\0') != std::string::npos) return Errno::Inval;
  return host_result(::symlinkat(contents->c_str(), t->path.dir_fd, t->path.name.c_str()));
}

Errno path_readlink(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t path_ptr, uint32_t path_len,
                    uint32_t buf, uint32_t buf_len, uint32_t bufused_ptr) {
  auto t = resolve(ctx, c, fd, rights::kPathReadlink, path_ptr, path_len, false);
  if (!t) return t.error();
  GuestMemory memory(c);
  uint8_t* out = memory.range(buf, buf_len);
  if (!out || !memory.contains(bufused_ptr, 4)) return Errno::Fault;
  std::string contents(kMaxPathLength, '\0');
  ssize_t n = ::readlinkat(t->path.dir_fd, t->path.name.c_str(), contents.data(), contents.size());
  if (n < 0) return errno_from_host(errno);
  uint32_t copied = std::min<uint32_t>(static_cast<uint32_t>(n), buf_len);  // truncates, as POSIX
  std::copy_n(contents.data(), copied, out);
  memory.store(bufused_ptr, copied);
  return Errno::Success;
}

Errno path_filestat_get(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t flags, uint32_t path_ptr,
                        uint32_t path_len, uint32_t stat_ptr) {
  auto t = resolve(ctx, c, fd, rights::kPathFilestatGet, path_ptr, path_len,
                   flags & kLookupSymlinkFollow);
  if (!t) return t.error();
  struct stat st;
  if (::fstatat(t->path.dir_fd, t->path.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return errno_from_host(errno);
  }
  if (t->path.must_be_directory && !S_ISDIR(st.st_mode)) return Errno::Notdir;
  GuestMemory memory(c);
  return store_filestat(memory, stat_ptr, st);
}

Errno path_filestat_set_times(WasiContext& ctx, Caller& c, uint32_t fd, uint32_t flags,
                              uint32_t path_ptr, uint32_t path_len, uint64_t atim, uint64_t mtim,
                              uint32_t fst_flags) {
  auto times = timespecs_for(atim, mtim, fst_flags);
  if (!times) return times.error();
  auto t = resolve(ctx, c, fd, rights::kPathFilestatSetTimes, path_ptr, path_len,
                   flags & kLookupSymlinkFollow);
  if (!t) return t.error();
  if (t->dir->read_only) return Errno::Rofs;
  if (Errno e = check_directory(t->path); e != Errno::Success) return e;
  return host_result(
      ::utimensat(t->path.dir_fd, t->path.name.c_str(), times->data(), AT_SYMLINK_NOFOLLOW));
}

}  // namespace

void define_path_functions(WasiDefiner& d) {
  d.define("path_open", path_open);
  d.define("path_create_directory", path_create_directory);
  d.define("path_remove_directory", path_remove_directory);
  d.define("path_unlink_file", path_unlink_file);
  d.define("path_rename", path_rename);
  d.define("path_link", path_link);
  d.define("path_symlink", path_symlink);
  d.define("path_readlink", path_readlink);
  d.define("path_filestat_get", path_filestat_get);
  d.define("path_filestat_set_times", path_filestat_set_times);
}

}  // namespace lantern::wasi
