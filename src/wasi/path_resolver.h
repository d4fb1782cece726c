// The capability sandbox: resolves a guest path beneath a directory descriptor without ever
// letting the kernel follow a symlink or `..` on its own.
//
// Each component is looked at with fstatat(AT_SYMLINK_NOFOLLOW) and entered with
// openat(O_PATH | O_NOFOLLOW | O_DIRECTORY), one at a time; `..` pops our own stack of opened
// directories instead of opening the host's `..`; symlinks are read and their targets spliced
// into the walk. So a path can only ever name something beneath the starting directory: absolute
// paths, `..` above it and symlinks leading out are ENOTCAPABLE, and a component swapped for a
// symlink mid-walk fails (O_NOFOLLOW) instead of escaping.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lantern/util/expected.h"
#include "lantern/wasi/wasi.h"
#include "wasi/unique_fd.h"

namespace lantern::wasi {

inline constexpr size_t kMaxPathLength = 4096;
inline constexpr int kMaxSymlinkFollows = 40;  // as Linux's MAXSYMLINKS

// The last component of a resolved path and the directory holding it. `name` never contains a
// slash; it is "." when the path names the directory itself.
struct ResolvedPath {
  UniqueFd owned_dir;  // empty when the directory is the starting one
  int dir_fd = -1;
  std::string name;
  bool must_be_directory = false;  // the guest path ended in '/'
  uint32_t depth = 0;              // directories below the starting one (for symlink checks)
};

// Resolves `path` beneath `root_fd`. With `follow_final`, a symlink in the last position is
// followed too (the result then never names a symlink, or names something that does not exist).
Expected<ResolvedPath, Errno> resolve_path(int root_fd, std::string_view path, bool follow_final);

// True when a symlink with contents `target`, created `depth` directories below the root, would
// stay beneath the root when read lexically (no absolute target, no `..` past the root).
bool symlink_target_stays_inside(std::string_view target, uint32_t depth);

}  // namespace lantern::wasi
