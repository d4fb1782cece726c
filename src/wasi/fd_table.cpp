#include "wasi/fd_table.h"

#include <sys/stat.h>

namespace lantern::wasi {

Filetype filetype_from_mode(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return Filetype::RegularFile;
    case S_IFDIR: return Filetype::Directory;
    case S_IFLNK: return Filetype::SymbolicLink;
    case S_IFCHR: return Filetype::CharacterDevice;
    case S_IFBLK: return Filetype::BlockDevice;
    case S_IFSOCK: return Filetype::SocketStream;
    default: return Filetype::Unknown;  // FIFOs have no preview1 type
  }
}

FdEntry* FdTable::get(uint32_t fd) {
  if (fd >= entries_.size() || !entries_[fd]) return nullptr;
  return &*entries_[fd];
}

Expected<uint32_t, Errno> FdTable::insert(FdEntry entry) {
  for (uint32_t fd = 0; fd < entries_.size(); ++fd) {
    if (!entries_[fd]) {
      entries_[fd] = std::move(entry);
      return fd;
    }
  }
  if (entries_.size() >= kMaxDescriptors) return Expected<uint32_t, Errno>::failure(Errno::Mfile);
  entries_.push_back(std::move(entry));
  return static_cast<uint32_t>(entries_.size() - 1);
}

void FdTable::put(uint32_t fd, FdEntry entry) {
  if (fd >= entries_.size()) entries_.resize(fd + 1);
  entries_[fd] = std::move(entry);
}

bool FdTable::close(uint32_t fd) {
  if (!get(fd)) return false;
  entries_[fd].reset();
  return true;
}

bool FdTable::renumber(uint32_t from, uint32_t to) {
  if (!get(from) || !get(to)) return false;
  if (from != to) {
    entries_[to] = std::move(entries_[from]);
    entries_[from].reset();
  }
  return true;
}

}  // namespace lantern::wasi
