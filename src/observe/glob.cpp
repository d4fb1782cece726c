// POSIX fnmatch(3) does the matching; '/' is an ordinary character in function names, and
// C++/Rust names are full of ':' and '<', which fnmatch treats literally.
#include "lantern/observe/glob.h"

#include <fnmatch.h>

namespace lantern::observe {

bool glob_match(std::string_view pattern, std::string_view text) {
  return ::fnmatch(std::string(pattern).c_str(), std::string(text).c_str(), 0) == 0;
}

bool matches_any(const std::vector<std::string>& patterns, std::string_view text) {
  for (const std::string& p : patterns)
    if (glob_match(p, text)) return true;
  return false;
}

}  // namespace lantern::observe
