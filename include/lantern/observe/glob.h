// Shell-style globs (`*`, `?`, `[a-z]`, `[!x]`, `\` escapes) for choosing functions by name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lantern::observe {

bool glob_match(std::string_view pattern, std::string_view text);
bool matches_any(const std::vector<std::string>& patterns, std::string_view text);

}  // namespace lantern::observe
