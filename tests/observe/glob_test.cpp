// Globs: each wildcard, brackets (ranges, negation, literal ']' and '-'), escapes, UTF-8 and
// patterns that would take exponential time with naive backtracking.
#include "lantern/observe/glob.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace lantern::observe {
namespace {

struct Case {
  const char* pattern;
  const char* text;
  bool match;
};

void check(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(glob_match(c.pattern, c.text), c.match)
        << "pattern '" << c.pattern << "' text '" << c.text << "'";
  }
}

TEST(Glob, LiteralsAndEmpty) {
  check({
      {"", "", true},
      {"", "a", false},
      {"a", "", false},
      {"main", "main", true},
      {"main", "Main", false},
      {"main", "mains", false},
      {"mains", "main", false},
  });
}

TEST(Glob, Star) {
  check({
      {"*", "", true},
      {"*", "anything::at<all>", true},
      {"**", "x", true},
      {"app::*", "app::run", true},
      {"app::*", "app::", true},
      {"app::*", "lib::app::run", false},
      {"*::run", "app::mod::run", true},
      {"*::run", "app::runner", false},
      {"a*b*c", "abc", true},
      {"a*b*c", "axxbyyc", true},
      {"a*b*c", "axxbyy", false},
      {"a*b", "abab", true},
      {"*ab", "aab", true},
      {"*a*", "bab", true},
      {"*a*", "bbb", false},
      {"std::*<*>::push_back", "std::vector<int, std::allocator<int> >::push_back", true},
  });
}

TEST(Glob, QuestionMark) {
  check({
      {"f?b", "fib", true},
      {"f?b", "fb", false},
      {"f?b", "fiib", false},
      {"???", "abc", true},
      {"?", "", false},
      {"*?", "a", true},
      {"?*", "", false},
  });
}

TEST(Glob, Brackets) {
  check({
      {"[abc]x", "bx", true},   {"[abc]x", "dx", false},    {"[a-c]x", "bx", true},
      {"[a-c]x", "dx", false},  {"[!a-c]x", "bx", false},   {"[!a-c]x", "dx", true},
      {"[^a-c]x", "dx", true},  {"[0-9][0-9]", "42", true}, {"[0-9a-f]", "e", true},
      {"[0-9a-f]", "g", false}, {"[]]", "]", true},       // ']' first is literal
      {"[!]]", "a", true},                                // ... also after '!'
      {"[!]]", "]", false},     {"[a-]", "-", true},      // '-' last is literal
      {"[-a]", "-", true},                                // '-' first is literal
      {"[\\]]", "]", true},                               // escaped inside brackets
      {"[\\-]", "-", true},     {"[a\\-z]", "b", false},  // an escaped '-' is not a range
      {"[", "[", true},                                   // unterminated: literal '['
      {"[ab", "[ab", true},     {"[ab", "a", false},        {"x[]", "x[]", true},
  });
}

TEST(Glob, Escapes) {
  check({
      {"\\*", "*", true},
      {"\\*", "x", false},
      {"\\?", "?", true},
      {"\\?", "a", false},
      {"\\[a]", "[a]", true},
      {"\\\\", "\\", true},
      {"a\\", "a\\", true},  // trailing backslash is literal
      {"\\a", "a", true},
  });
}

TEST(Glob, Utf8CharactersAreOneCharacter) {
  check({
      {"caf?", "café", true},
      {"caf??", "café", false},
      {"?", "€", true},
      {"[é]", "é", true},
      {"[à-ü]", "é", true},
      {"[!é]", "e", true},
      {"*é", "café", true},
      {"naïve*", "naïveté", true},
  });
  // Malformed UTF-8 still walks byte by byte.
  EXPECT_TRUE(glob_match("?", std::string("\xff")));
  EXPECT_TRUE(glob_match("??", std::string("\xc3")) == false);
  EXPECT_TRUE(glob_match("a?b", std::string("a\xe2\x82"
                                            "b")) == false);
  EXPECT_TRUE(glob_match("a??b", std::string("a\xe2\x82"
                                             "b")));
}

TEST(Glob, PathologicalPatternsAreFast) {
  std::string many(200, 'a');
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(glob_match("a*a*a*a*a*b", many));
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", many));
  EXPECT_TRUE(glob_match("a*a*a*a*a*a", many));
  std::string long_text(100000, 'x');
  EXPECT_FALSE(glob_match("*x*x*x*x*x*y", long_text));
  EXPECT_TRUE(glob_match("*x", long_text));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST(Glob, MatchesAny) {
  EXPECT_TRUE(matches_any({"main", "leaf*"}, "leaf2"));
  EXPECT_TRUE(matches_any({"main", "leaf*"}, "main"));
  EXPECT_FALSE(matches_any({"main", "leaf*"}, "mai"));
  EXPECT_FALSE(matches_any({}, "x"));
  EXPECT_TRUE(matches_any({""}, ""));
}

}  // namespace
}  // namespace lantern::observe
