// The guest's descriptor table: preview1 descriptor numbers mapped to host descriptors (files,
// directories, preopens) or to the in-process stdio streams, each with its rights and flags.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lantern/util/expected.h"
#include "lantern/wasi/wasi.h"
#include "wasi/unique_fd.h"

namespace lantern::wasi {

enum class Filetype : uint8_t {
  Unknown = 0,
  BlockDevice = 1,
  CharacterDevice = 2,
  Directory = 3,
  RegularFile = 4,
  SocketDgram = 5,
  SocketStream = 6,
  SymbolicLink = 7,
};

// The preview1 file type of a host `st_mode`.
Filetype filetype_from_mode(unsigned mode);

// preview1 `fdflags`.
inline constexpr uint16_t kFdflagAppend = 1 << 0;
inline constexpr uint16_t kFdflagDsync = 1 << 1;
inline constexpr uint16_t kFdflagNonblock = 1 << 2;
inline constexpr uint16_t kFdflagRsync = 1 << 3;
inline constexpr uint16_t kFdflagSync = 1 << 4;

enum class FdKind : uint8_t {
  Host,       // a host descriptor the entry owns
  StdinData,  // fd 0 reading WasiContext::stdin_data
  Stdout,     // writes go to WasiContext::stdout_sink
  Stderr,     // writes go to WasiContext::stderr_sink
};

// One directory's entries as fd_readdir hands them out: cookie N is the entry at index N.
struct DirListing {
  struct Entry {
    std::string name;
    uint64_t inode = 0;
    Filetype type = Filetype::Unknown;
  };
  std::vector<Entry> entries;
};

struct FdEntry {
  FdKind kind = FdKind::Host;
  UniqueFd host;
  Filetype type = Filetype::Unknown;
  uint16_t flags = 0;  // fdflags
  uint64_t rights_base = 0;
  uint64_t rights_inheriting = 0;
  bool read_only = false;  // beneath a read-only preopen: every change is EROFS
  std::optional<std::string> preopen_name;
  std::shared_ptr<const DirListing> listing;  // fd_readdir's snapshot, refreshed at cookie 0
  uint64_t data_pos = 0;                      // read position in stdin_data (StdinData)

  bool has(uint64_t rights) const { return (rights_base & rights) == rights; }
  bool is_directory() const { return type == Filetype::Directory; }
};

class FdTable {
 public:
  static constexpr uint32_t kMaxDescriptors = 16384;

  // The open entry `fd`, or null (EBADF).
  FdEntry* get(uint32_t fd);
  // Adds `entry` at the lowest free number; EMFILE when the table is full.
  Expected<uint32_t, Errno> insert(FdEntry entry);
  // Places `entry` at `fd`, replacing (and closing) whatever was there.
  void put(uint32_t fd, FdEntry entry);
  bool close(uint32_t fd);
  // Moves `from` onto `to`, closing `to`; false when either is not open.
  bool renumber(uint32_t from, uint32_t to);

 private:
  std::vector<std::optional<FdEntry>> entries_;
};

}  // namespace lantern::wasi
