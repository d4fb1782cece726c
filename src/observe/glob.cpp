// Glob matching without fnmatch(3): fnmatch works on NUL-terminated bytes (a copy per call, `?`
// matching one byte of a UTF-8 character) and backtracks recursively in some libcs. Here each
// pattern element consumes exactly one character, so the classic two-cursor walk with one saved
// star position is complete: on a mismatch only the most recent `*` needs to take one more
// character (earlier stars can never need to, the later one absorbs any shift), which bounds the
// work by pattern length x text length.
#include "lantern/observe/glob.h"

#include <cstddef>
#include <cstdint>

namespace lantern::observe {
namespace {

// Decodes the UTF-8 character at `at` and advances past it. A byte that does not start a
// well-formed sequence counts as one character of its own value, so any input is walkable.
char32_t next_char(std::string_view s, size_t& at) {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  uint8_t lead = byte(at);
  size_t length = lead < 0x80           ? 1
                  : (lead >> 5) == 0x6  ? 2
                  : (lead >> 4) == 0xE  ? 3
                  : (lead >> 3) == 0x1E ? 4
                                        : 0;
  if (length <= 1 || at + length > s.size()) {
    ++at;
    return lead;
  }
  char32_t value = lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) {
      ++at;
      return lead;
    }
    value = (value << 6) | (byte(at + i) & 0x3F);
  }
  at += length;
  return value;
}

// A bracket expression starting at pattern[open] == '['. Returns the position after its closing
// ']' and whether `c` is in the set, or npos when the bracket is never closed (then the '[' is an
// ordinary character).
size_t match_bracket(std::string_view pattern, size_t open, char32_t c, bool& matched) {
  size_t at = open + 1;
  bool negate = at < pattern.size() && (pattern[at] == '!' || pattern[at] == '^');
  if (negate) ++at;
  bool found = false;
  bool first = true;
  while (at < pattern.size()) {
    if (pattern[at] == ']' && !first) {
      matched = found != negate;
      return at + 1;
    }
    first = false;
    if (pattern[at] == '\\' && at + 1 < pattern.size()) ++at;
    char32_t low = next_char(pattern, at);
    char32_t high = low;
    // "a-z" is a range; a '-' just before the closing ']' is literal.
    if (at + 1 < pattern.size() && pattern[at] == '-' && pattern[at + 1] != ']') {
      ++at;
      if (pattern[at] == '\\' && at + 1 < pattern.size()) ++at;
      high = next_char(pattern, at);
    }
    if (low <= c && c <= high) found = true;
  }
  return std::string_view::npos;
}

// Whether the single pattern element at pattern[p] (not '*') matches the character at text[t];
// on success advances both cursors past what they matched.
bool match_one(std::string_view pattern, size_t& p, std::string_view text, size_t& t) {
  size_t next_t = t;
  char32_t c = next_char(text, next_t);
  if (pattern[p] == '?') {
    ++p;
    t = next_t;
    return true;
  }
  if (pattern[p] == '[') {
    bool matched = false;
    size_t after = match_bracket(pattern, p, c, matched);
    if (after != std::string_view::npos) {
      if (!matched) return false;
      p = after;
      t = next_t;
      return true;
    }
    // An unclosed '[' is a literal character: fall through.
  }
  size_t next_p = p;
  if (pattern[next_p] == '\\' && next_p + 1 < pattern.size()) ++next_p;
  if (next_char(pattern, next_p) != c) return false;
  p = next_p;
  t = next_t;
  return true;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0;
  size_t star_p = std::string_view::npos;  // pattern position after the last '*' seen
  size_t star_t = 0;                       // text position that '*' is currently matched up to
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      while (p < pattern.size() && pattern[p] == '*') ++p;
      if (p == pattern.size()) return true;  // a trailing star takes the rest
      star_p = p;
      star_t = t;
      continue;
    }
    if (p < pattern.size() && match_one(pattern, p, text, t)) continue;
    if (star_p == std::string_view::npos) return false;
    // Let the last star take one more character and retry from just after it.
    next_char(text, star_t);
    p = star_p;
    t = star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool matches_any(const std::vector<std::string>& globs, std::string_view name) {
  for (const std::string& glob : globs) {
    if (glob_match(glob, name)) return true;
  }
  return false;
}

}  // namespace lantern::observe
