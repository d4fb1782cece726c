// WasiContext: the stdio descriptors and the preopened directories.
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "lantern/wasi/wasi.h"
#include "wasi/fd_table.h"
#include "wasi/rights.h"

namespace lantern::wasi {
namespace {

FdEntry stdio_entry(FdKind kind) {
  FdEntry entry;
  entry.kind = kind;
  entry.type = Filetype::CharacterDevice;
  entry.rights_base =
      rights::kStream & ~(kind == FdKind::StdinData ? rights::kFdWrite : rights::kFdRead);
  return entry;
}

}  // namespace

WasiContext::WasiContext() : fds_(std::make_unique<FdTable>()) {
  fds_->put(0, stdio_entry(FdKind::StdinData));
  fds_->put(1, stdio_entry(FdKind::Stdout));
  fds_->put(2, stdio_entry(FdKind::Stderr));
}

WasiContext::~WasiContext() = default;

void WasiContext::set_stdin_fd(int host_fd) {
  FdEntry entry = stdio_entry(FdKind::StdinData);
  entry.kind = FdKind::Host;
  entry.host.reset(host_fd);
  struct stat st;
  if (::fstat(host_fd, &st) == 0 && S_ISREG(st.st_mode)) {
    entry.type = Filetype::RegularFile;
    entry.rights_base |= rights::kFdSeek | rights::kFdTell;
  }
  fds_->put(0, std::move(entry));
}

void WasiContext::describe_output_as(int stdout_host_fd, int stderr_host_fd) {
  int host_fds[] = {stdout_host_fd, stderr_host_fd};
  for (uint32_t fd = 1; fd <= 2; ++fd) {
    struct stat st;
    FdEntry* entry = fds_->get(fd);
    if (!entry || ::fstat(host_fds[fd - 1], &st) != 0) continue;
    // Rights stay a stream's (no seek), as for any output the guest cannot rewind.
    entry->type = filetype_from_mode(st.st_mode);
  }
}

Expected<void> WasiContext::preopen(const std::string& host_path, const std::string& guest_path,
                                    bool read_only) {
  int fd = ::open(host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return make_error(Phase::Config,
                      "cannot preopen directory '" + host_path + "': " + std::strerror(errno));
  }
  FdEntry entry;
  entry.host.reset(fd);
  entry.type = Filetype::Directory;
  entry.rights_base = rights::kDirectory;
  entry.rights_inheriting = rights::kDirectoryInheriting;
  entry.read_only = read_only;
  entry.preopen_name = guest_path;
  auto inserted = fds_->insert(std::move(entry));
  if (!inserted) return make_error(Phase::Config, "too many preopened directories");
  return {};
}

}  // namespace lantern::wasi
