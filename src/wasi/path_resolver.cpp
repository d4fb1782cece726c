#include "wasi/path_resolver.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <vector>

namespace lantern::wasi {
namespace {

using Result = Expected<ResolvedPath, Errno>;

Result fail(Errno e) { return Result::failure(e); }

// Splits on '/', dropping empty and "." components (they name the same directory).
void push_components(std::string_view path, std::deque<std::string>& out, bool at_front) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    start = end + 1;
  }
  if (at_front) {
    out.insert(out.begin(), parts.begin(), parts.end());
  } else {
    out.insert(out.end(), parts.begin(), parts.end());
  }
}

bool ends_with_slash_or_dot(std::string_view path) {
  return path.ends_with('/') || path.ends_with("/.") || path == "." || path.ends_with("/..") ||
         path == "..";
}

Expected<std::string, Errno> read_link(int dir_fd, const std::string& name) {
  std::string buffer(256, '\0');
  for (;;) {
    ssize_t n = ::readlinkat(dir_fd, name.c_str(), buffer.data(), buffer.size());
    if (n < 0) return Expected<std::string, Errno>::failure(errno_from_host(errno));
    if (static_cast<size_t>(n) < buffer.size()) {
      buffer.resize(static_cast<size_t>(n));
      return buffer;
    }
    if (buffer.size() >= kMaxPathLength) {
      return Expected<std::string, Errno>::failure(Errno::Nametoolong);
    }
    buffer.resize(buffer.size() * 2);
  }
}

}  // namespace

Result resolve_path(int root_fd, std::string_view path, bool follow_final) {
  if (path.empty()) return fail(Errno::Noent);
  if (path.size() > kMaxPathLength) return fail(Errno::Nametoolong);
  if (path.find('\0') != std::string_view::npos) return fail(Errno::Inval);
  if (path.front() == '/') return fail(Errno::Notcapable);

  ResolvedPath result;
  // A trailing slash (or a final "." / "..") means the path must name a directory, which
  // POSIX resolves through a final symlink.
  result.must_be_directory = ends_with_slash_or_dot(path);
  if (result.must_be_directory) follow_final = true;

  std::deque<std::string> pending;
  push_components(path, pending, false);
  std::vector<UniqueFd> stack;  // directories entered below the root
  auto current = [&] { return stack.empty() ? root_fd : stack.back().get(); };
  int follows = 0;

  while (!pending.empty()) {
    std::string component = std::move(pending.front());
    pending.pop_front();
    const bool last = pending.empty();

    if (component == "..") {
      if (stack.empty()) return fail(Errno::Notcapable);
      stack.pop_back();
      continue;
    }
    if (component.size() > 255) return fail(Errno::Nametoolong);
    if (last && !follow_final) {
      result.name = std::move(component);
      break;
    }

    struct stat st;
    if (::fstatat(current(), component.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      int error = errno;
      if (error == ENOENT && last) {  // the final name may be about to be created
        result.name = std::move(component);
        break;
      }
      return fail(errno_from_host(error));
    }
    if (S_ISLNK(st.st_mode)) {
      if (++follows > kMaxSymlinkFollows) return fail(Errno::Loop);
      auto target = read_link(current(), component);
      if (!target) return fail(target.error());
      if (target->empty()) return fail(Errno::Noent);
      if (target->front() == '/') return fail(Errno::Notcapable);
      if (ends_with_slash_or_dot(*target) && last) result.must_be_directory = true;
      push_components(*target, pending, true);
      continue;
    }
    if (last) {
      result.name = std::move(component);
      break;
    }
    if (!S_ISDIR(st.st_mode)) return fail(Errno::Notdir);
    int fd = ::openat(current(), component.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return fail(errno_from_host(errno));
    stack.emplace_back(fd);
  }

  if (result.name.empty()) result.name.assign(1, '.');  // the path named a directory on the stack
  result.depth = static_cast<uint32_t>(stack.size());
  if (!stack.empty()) {
    result.owned_dir = std::move(stack.back());
    result.dir_fd = result.owned_dir.get();
  } else {
    result.dir_fd = root_fd;
  }
  return result;
}

bool symlink_target_stays_inside(std::string_view target, uint32_t depth) {
  if (target.empty() || target.front() == '/') return false;
  int64_t level = depth;
  std::deque<std::string> parts;
  push_components(target, parts, false);
  for (const std::string& part : parts) {
    level += part == ".." ? -1 : 1;
    if (level < 0) return false;
  }
  return true;
}

}  // namespace lantern::wasi
