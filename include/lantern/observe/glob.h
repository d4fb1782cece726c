// Shell-style wildcard matching for names (function names, span names, metric names), as used by
// the filters that decide what to trace. Patterns and names are UTF-8; `?` and bracket
// expressions match one code point, so `caf?` matches "café".
//
//   *        any run of characters, also empty (there is no path separator: `std::*` matches
//            "std::vector::push_back")
//   ?        exactly one character
//   [abc]    one of the listed characters; [a-z] a range; [!x] or [^x] anything but x;
//            a `]` first in the list and a `-` first or last stand for themselves
//   \c       the character c itself (also inside brackets)
//
// An unterminated `[` and a trailing `\` match themselves. Matching is iterative, O(pattern x
// text) at worst: no exponential backtracking on patterns like `a*a*a*a*b`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lantern::observe {

bool glob_match(std::string_view pattern, std::string_view text);

// True when `name` matches at least one of `globs` (false for an empty list).
bool matches_any(const std::vector<std::string>& globs, std::string_view name);

}  // namespace lantern::observe
