#include "lantern/observe/demangle.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

namespace lantern::observe {
namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// Rust legacy symbols end in "::h" + 16 hex digits: a hash that only makes names unreadable.
void strip_rust_hash(std::string& name) {
  if (name.size() < 19) return;
  size_t at = name.size() - 19;
  if (name.compare(at, 3, "::h") != 0) return;
  for (size_t i = at + 3; i < name.size(); ++i)
    if (!is_hex(name[i])) return;
  name.resize(at);
}

// Rust escapes characters Itanium names cannot hold as $..$ sequences, and '.' as "..".
std::string unescape_rust(const std::string& name) {
  static constexpr struct {
    const char* escape;
    const char* text;
  } kEscapes[] = {{"$SP$", "@"},  {"$BP$", "*"},  {"$RF$", "&"},  {"$LT$", "<"},  {"$GT$", ">"},
                  {"$LP$", "("},  {"$RP$", ")"},  {"$C$", ","},   {"$u7e$", "~"}, {"$u20$", " "},
                  {"$u27$", "'"}, {"$u5b$", "["}, {"$u5d$", "]"}, {"$u7b$", "{"}, {"$u7d$", "}"},
                  {"$u3b$", ";"}, {"$u2b$", "+"}, {"$u22$", "\""}};
  std::string out;
  for (size_t i = 0; i < name.size();) {
    bool replaced = false;
    if (name[i] == '$') {
      for (const auto& e : kEscapes) {
        std::string_view escape(e.escape);
        if (name.compare(i, escape.size(), escape) == 0) {
          out += e.text;
          i += escape.size();
          replaced = true;
          break;
        }
      }
    } else if (name.compare(i, 2, "..") == 0) {
      out += "::";
      i += 2;
      replaced = true;
    }
    if (!replaced) out += name[i++];
  }
  return out;
}

// Rust's legacy scheme: "_ZN" then length-prefixed identifiers, the last "h" + 16 hex digits,
// then "E". Its identifiers hold '$' and '.', which the C++ demangler refuses, so it is read here.
std::optional<std::string> demangle_rust_legacy(std::string_view symbol) {
  if (!symbol.starts_with("_ZN") || !symbol.ends_with('E')) return std::nullopt;
  std::string_view rest = symbol.substr(3, symbol.size() - 4);
  std::vector<std::string_view> parts;
  while (!rest.empty()) {
    size_t digits = 0, length = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
      length = length * 10 + static_cast<size_t>(rest[digits] - '0');
      if (length > rest.size()) return std::nullopt;
      ++digits;
    }
    if (digits == 0 || length == 0 || digits + length > rest.size()) return std::nullopt;
    parts.push_back(rest.substr(digits, length));
    rest.remove_prefix(digits + length);
  }
  if (parts.size() < 2) return std::nullopt;
  std::string_view hash = parts.back();
  if (hash.size() != 17 || hash[0] != 'h') return std::nullopt;
  for (char c : hash.substr(1))
    if (!is_hex(c)) return std::nullopt;
  parts.pop_back();
  std::string name;
  for (std::string_view part : parts) {
    if (!name.empty()) name += "::";
    // "_$LT$..." : a leading '_' guards an escape at the start of an identifier.
    if (part.starts_with("_$")) part.remove_prefix(1);
    name += part;
  }
  return unescape_rust(name);
}

}  // namespace

std::string demangle(std::string_view symbol) {
  if (!symbol.starts_with("_Z")) return std::string(symbol);
  if (auto rust = demangle_rust_legacy(symbol)) return *rust;
  std::string mangled(symbol);
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> text(
      abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status), &std::free);
  if (status != 0 || !text) return mangled;
  std::string name(text.get());
  // Legacy Rust: _ZN...17h<16 hex>E demangles to a::b::h<hash>.
  size_t before = name.size();
  strip_rust_hash(name);
  if (name.size() != before) name = unescape_rust(name);
  return name;
}

}  // namespace lantern::observe
