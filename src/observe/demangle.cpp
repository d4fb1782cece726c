// Symbol demangling: Itanium C++ through the C++ runtime, Rust legacy and Rust v0 read here.
// Every parser works on a string_view with explicit bounds checks and returns "no result" on
// anything it does not understand; demangle() then returns the symbol unchanged.
#include "lantern/observe/demangle.h"

#include <cxxabi.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

namespace lantern::observe {
namespace {

constexpr size_t kMaxInput = 65536;        // longer symbols are returned as they are
constexpr size_t kMaxOutput = 65536;       // a longer name is not worth showing on a span
constexpr uint32_t kMaxDepth = 256;        // nesting of v0 paths, types and back-references
constexpr uint32_t kMaxSteps = 1'000'000;  // v0 parse steps (back-references re-parse)

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool valid_scalar(uint64_t c) { return c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF); }

// A ThinLTO suffix ".llvm.<hex or @>" says nothing about the function; it is dropped.
std::string_view strip_llvm_suffix(std::string_view symbol) {
  size_t at = symbol.find(".llvm.");
  if (at == std::string_view::npos) return symbol;
  for (char c : symbol.substr(at + 6)) {
    if (!(is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f') || c == '@')) {
      return symbol;
    }
  }
  return symbol.substr(0, at);
}

// ---------------------------------------------------------------------------------------------
// Itanium C++

std::optional<std::string> demangle_itanium(std::string_view symbol) {
  std::string mangled(symbol);
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> text(
      abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status), &std::free);
  if (status != 0 || !text || std::strlen(text.get()) > kMaxOutput) return std::nullopt;
  return std::string(text.get());
}

// ---------------------------------------------------------------------------------------------
// Rust legacy: "_ZN" { <decimal length> <identifier> } "E" [suffix], the last identifier being
// the hash "h" + 16 hex digits. Identifiers escape what Itanium names cannot hold:
// $LT$ < $GT$ > $LP$ ( $RP$ ) $C$ , $SP$ @ $BP$ * $RF$ & $u<hex>$ any character, ".." ::,
// and a leading '_' guards a leading '$'.

// Decodes one "$...$" escape body (between the dollars); nullopt for an unknown one.
std::optional<std::string> legacy_escape(std::string_view body) {
  static constexpr struct {
    std::string_view name;
    const char* text;
  } kNamed[] = {{"SP", "@"}, {"BP", "*"}, {"RF", "&"}, {"LT", "<"},
                {"GT", ">"}, {"LP", "("}, {"RP", ")"}, {"C", ","}};
  for (const auto& named : kNamed) {
    if (body == named.name) return std::string(named.text);
  }
  if (body.size() < 2 || body.size() > 7 || body[0] != 'u') return std::nullopt;
  uint32_t code = 0;
  for (char c : body.substr(1)) {
    if (!is_lower_hex(c)) return std::nullopt;
    code = code << 4 | static_cast<uint32_t>(is_digit(c) ? c - '0' : c - 'a' + 10);
  }
  if (!valid_scalar(code) || code < 0x20 || code == 0x7F) return std::nullopt;
  std::string text;
  append_utf8(text, code);
  return text;
}

void append_legacy_identifier(std::string& out, std::string_view id) {
  if (id.starts_with("_$")) id.remove_prefix(1);
  while (!id.empty()) {
    if (id.starts_with("..")) {
      out += "::";
      id.remove_prefix(2);
      continue;
    }
    if (id.front() == '$') {
      size_t close = id.find('$', 1);
      if (close != std::string_view::npos) {
        if (auto text = legacy_escape(id.substr(1, close - 1))) {
          out += *text;
          id.remove_prefix(close + 1);
          continue;
        }
      }
    }
    out += id.front();  // an unknown escape stays as written
    id.remove_prefix(1);
  }
}

bool is_legacy_hash(std::string_view id) {
  if (id.size() != 17 || id[0] != 'h') return false;
  for (char c : id.substr(1)) {
    if (!is_lower_hex(c)) return false;
  }
  return true;
}

std::optional<std::string> demangle_rust_legacy(std::string_view symbol) {
  if (!symbol.starts_with("_ZN")) return std::nullopt;
  std::string_view rest = symbol.substr(3);
  std::vector<std::string_view> ids;
  while (!rest.empty() && rest.front() != 'E') {
    size_t length = 0, digits = 0;
    while (digits < rest.size() && is_digit(rest[digits])) {
      length = length * 10 + static_cast<size_t>(rest[digits] - '0');
      if (length > rest.size()) return std::nullopt;
      ++digits;
    }
    if (digits == 0 || length == 0 || digits + length > rest.size()) return std::nullopt;
    ids.push_back(rest.substr(digits, length));
    rest.remove_prefix(digits + length);
  }
  if (rest.empty() || ids.size() < 2 || !is_legacy_hash(ids.back())) return std::nullopt;
  std::string_view suffix = rest.substr(1);  // after the 'E'
  if (!suffix.empty() && suffix.front() != '.') return std::nullopt;
  ids.pop_back();
  std::string out;
  for (std::string_view id : ids) {
    if (!out.empty()) out += "::";
    append_legacy_identifier(out, id);
  }
  out += suffix;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rust v0 (RFC 2603), printed in rustc-demangle's alternate form (no crate disambiguators).

// RFC 3492 punycode with v0's '_' in place of '-' between the basic characters and the deltas.
std::optional<std::string> decode_punycode(std::string_view text) {
  constexpr uint64_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
  size_t split = text.rfind('_');
  std::vector<char32_t> points;
  if (split != std::string_view::npos) {
    for (char c : text.substr(0, split)) points.push_back(static_cast<unsigned char>(c));
    text.remove_prefix(split + 1);
  }
  if (text.empty()) return std::nullopt;
  auto adapt = [&](uint64_t delta, uint64_t count, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / count;
    uint64_t k = 0;
    while (delta > ((kBase - kTMin) * kTMax) / 2) {
      delta /= kBase - kTMin;
      k += kBase;
    }
    return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
  };
  uint64_t n = 128, i = 0, bias = 72;
  size_t at = 0;
  while (at < text.size()) {
    uint64_t old_i = i, weight = 1;
    for (uint64_t k = kBase;; k += kBase) {
      if (at >= text.size()) return std::nullopt;
      char c = text[at++];
      uint64_t digit = is_lower(c) ? c - 'a' : is_digit(c) ? c - '0' + 26 : kBase;
      if (digit >= kBase) return std::nullopt;
      if (digit > (UINT32_MAX - i) / weight) return std::nullopt;
      i += digit * weight;
      uint64_t t = k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
      if (digit < t) break;
      weight *= kBase - t;
      if (weight > UINT32_MAX) return std::nullopt;
    }
    uint64_t count = points.size() + 1;
    bias = adapt(i - old_i, count, old_i == 0);
    n += i / count;
    i %= count;
    if (!valid_scalar(n) || points.size() >= kMaxOutput) return std::nullopt;
    points.insert(points.begin() + static_cast<ptrdiff_t>(i), static_cast<char32_t>(n));
    ++i;
  }
  std::string out;
  for (char32_t c : points) append_utf8(out, c);
  return out;
}

class V0Demangler {
 public:
  explicit V0Demangler(std::string_view mangled) : sym_(mangled) {}

  // The symbol after "_R"; nullopt for anything malformed or unsupported.
  std::optional<std::string> run() {
    if (pos_ < sym_.size() && is_digit(sym_[pos_])) return std::nullopt;  // encoding version > 0
    if (!path(true)) return std::nullopt;
    if (pos_ < sym_.size() && is_upper(sym_[pos_])) {  // the instantiating crate: not shown
      ++silent_;
      if (!path(false)) return std::nullopt;
      --silent_;
    }
    if (pos_ != sym_.size()) return std::nullopt;
    return std::move(out_);
  }

 private:
  struct Ident {
    std::string_view ascii;
    bool punycode = false;
    uint64_t disambiguator = 0;
  };

  // --- low-level reading -------------------------------------------------------------------

  bool eat(char c) {
    if (pos_ < sym_.size() && sym_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool next(char& c) {
    if (pos_ >= sym_.size()) return false;
    c = sym_[pos_++];
    return true;
  }
  bool emit(std::string_view text) {
    if (silent_ > 0) return true;
    if (out_.size() + text.size() > kMaxOutput) return false;
    out_ += text;
    return true;
  }
  // Each structural element costs a step and a level; both are bounded.
  bool enter() { return ++steps_ <= kMaxSteps && ++depth_ <= kMaxDepth; }
  bool leave(bool ok) {
    --depth_;
    return ok;
  }

  // <base-62-number> = {0-9a-zA-Z} "_": "_" is 0, "<n>_" is n + 1.
  bool base62(uint64_t& value) {
    if (eat('_')) {
      value = 0;
      return true;
    }
    uint64_t x = 0;
    char c = 0;
    while (next(c) && c != '_') {
      uint64_t digit = is_digit(c)   ? c - '0'
                       : is_lower(c) ? c - 'a' + 10
                       : is_upper(c) ? c - 'A' + 36
                                     : 62;
      if (digit >= 62 || x > (UINT64_MAX - digit) / 62) return false;
      x = x * 62 + digit;
    }
    if (c != '_' || x == UINT64_MAX) return false;
    value = x + 1;
    return true;
  }
  // [<tag> <base-62-number>]: 0 when absent, else the number + 1.
  bool optional_base62(char tag, uint64_t& value) {
    value = 0;
    if (!eat(tag)) return true;
    if (!base62(value) || value == UINT64_MAX) return false;
    ++value;
    return true;
  }
  // <decimal-number>: "0" or a digit 1-9 followed by digits.
  bool decimal(uint64_t& value) {
    if (pos_ >= sym_.size() || !is_digit(sym_[pos_])) return false;
    value = 0;
    if (eat('0')) return true;
    while (pos_ < sym_.size() && is_digit(sym_[pos_])) {
      if (value > sym_.size()) return false;  // too long to be a length within the symbol
      value = value * 10 + static_cast<uint64_t>(sym_[pos_++] - '0');
    }
    return true;
  }
  bool undisambiguated_ident(Ident& id) {
    id.punycode = eat('u');
    uint64_t length = 0;
    if (!decimal(length)) return false;
    eat('_');  // separates a length from an identifier starting with a digit or '_'
    if (length > sym_.size() - pos_) return false;
    id.ascii = sym_.substr(pos_, length);
    pos_ += length;
    return true;
  }
  bool ident(Ident& id) {
    return optional_base62('s', id.disambiguator) && undisambiguated_ident(id);
  }
  bool print_ident(const Ident& id) {
    if (!id.punycode) return emit(id.ascii);
    std::optional<std::string> text = decode_punycode(id.ascii);
    return text && emit(*text);
  }
  bool print_number(uint64_t value) { return emit(std::to_string(value)); }

  // B <base-62-number>: re-read an earlier position of the symbol (strictly before this 'B').
  template <typename F>
  bool backref(F&& print) {
    size_t tag = pos_ - 1;
    uint64_t target = 0;
    if (!base62(target) || target >= tag) return false;
    size_t resume = pos_;
    pos_ = static_cast<size_t>(target);
    bool ok = print();
    pos_ = resume;
    return ok;
  }

  // --- lifetimes and binders ---------------------------------------------------------------

  bool print_lifetime(uint64_t index) {
    if (index == 0) return emit("'_");
    if (index > bound_lifetimes_) return false;
    uint64_t depth = bound_lifetimes_ - index;
    if (depth < 26) return emit(std::string{'\'', static_cast<char>('a' + depth)});
    return emit("'_" + std::to_string(depth));
  }
  // [G <base-62-number>] before fn types and dyn traits: "for<'a, 'b> ". Returns how many
  // lifetimes it bound, for the caller to release.
  bool binder(uint64_t& bound) {
    if (!optional_base62('G', bound) || bound > 1024) return false;
    if (bound == 0) return true;
    if (!emit("for<")) return false;
    for (uint64_t i = 0; i < bound; ++i) {
      if (i > 0 && !emit(", ")) return false;
      ++bound_lifetimes_;
      if (!print_lifetime(1)) return false;
    }
    return emit("> ");
  }

  // --- paths -------------------------------------------------------------------------------

  bool path(bool in_value) { return enter() && leave(path_inner(in_value)); }
  bool path_inner(bool in_value) {
    char tag;
    if (!next(tag)) return false;
    switch (tag) {
      case 'C': {
        Ident id;
        return ident(id) && print_ident(id);
      }
      case 'N': {
        char ns;
        if (!next(ns) || !(is_upper(ns) || is_lower(ns))) return false;
        if (!path(in_value)) return false;
        Ident id;
        if (!ident(id)) return false;
        if (is_lower(ns)) return id.ascii.empty() || (emit("::") && print_ident(id));
        std::string kind = ns == 'C' ? "closure" : ns == 'S' ? "shim" : std::string(1, ns);
        if (!emit("::{") || !emit(kind)) return false;
        if (!id.ascii.empty() && !(emit(":") && print_ident(id))) return false;
        return emit("#") && print_number(id.disambiguator) && emit("}");
      }
      case 'M':    // <T>: an inherent impl
      case 'X':    // <T as Trait>: a trait impl
      case 'Y': {  // <T as Trait>: a trait's own item
        if (tag != 'Y' && !impl_path()) return false;
        if (!emit("<") || !type()) return false;
        if (tag != 'M' && !(emit(" as ") && path(false))) return false;
        return emit(">");
      }
      case 'I': {
        if (!path(in_value)) return false;
        if (in_value && !emit("::")) return false;
        return emit("<") && generic_args() && emit(">");
      }
      case 'B': return backref([&] { return path(in_value); });
      default: return false;
    }
  }
  // [<disambiguator>] <path>: where the impl block is; parsed, not shown.
  bool impl_path() {
    uint64_t disambiguator;
    if (!optional_base62('s', disambiguator)) return false;
    ++silent_;
    bool ok = path(false);
    --silent_;
    return ok;
  }
  // {<generic-arg>} "E", printed with ", " between.
  bool generic_args() {
    for (bool first = true; !eat('E'); first = false) {
      if (!first && !emit(", ")) return false;
      if (!generic_arg()) return false;
    }
    return true;
  }
  bool generic_arg() {
    if (eat('L')) {
      uint64_t lifetime;
      return base62(lifetime) && print_lifetime(lifetime);
    }
    if (eat('K')) return konst();
    return type();
  }

  // --- types -------------------------------------------------------------------------------

  static const char* basic_type(char tag) {
    switch (tag) {
      case 'a': return "i8";
      case 'b': return "bool";
      case 'c': return "char";
      case 'd': return "f64";
      case 'e': return "str";
      case 'f': return "f32";
      case 'h': return "u8";
      case 'i': return "isize";
      case 'j': return "usize";
      case 'l': return "i32";
      case 'm': return "u32";
      case 'n': return "i128";
      case 'o': return "u128";
      case 's': return "i16";
      case 't': return "u16";
      case 'u': return "()";
      case 'v': return "...";
      case 'x': return "i64";
      case 'y': return "u64";
      case 'z': return "!";
      case 'p': return "_";
      default: return nullptr;
    }
  }

  bool type() { return enter() && leave(type_inner()); }
  bool type_inner() {
    char tag;
    if (!next(tag)) return false;
    if (const char* basic = basic_type(tag)) return emit(basic);
    switch (tag) {
      case 'R':    // &T, &'a T
      case 'Q': {  // &mut T
        if (!emit("&")) return false;
        if (eat('L')) {
          uint64_t lifetime;
          if (!base62(lifetime)) return false;
          if (lifetime != 0 && !(print_lifetime(lifetime) && emit(" "))) return false;
        }
        return (tag == 'R' || emit("mut ")) && type();
      }
      case 'P': return emit("*const ") && type();
      case 'O': return emit("*mut ") && type();
      case 'A': return emit("[") && type() && emit("; ") && konst() && emit("]");
      case 'S': return emit("[") && type() && emit("]");
      case 'T': {
        if (!emit("(")) return false;
        size_t count = 0;
        for (; !eat('E'); ++count) {
          if (count > 0 && !emit(", ")) return false;
          if (!type()) return false;
        }
        return (count != 1 || emit(",")) && emit(")");
      }
      case 'F': return fn_type();
      case 'D': return dyn_type();
      case 'B': return backref([&] { return type(); });
      default:
        --pos_;  // a path names the type: let path() see its tag
        return path(false);
    }
  }
  // F [<binder>] ["U"] ["K" <abi>] {<type>} "E" <type>
  bool fn_type() {
    uint64_t bound = 0;
    if (!binder(bound)) return false;
    if (eat('U') && !emit("unsafe ")) return false;
    if (eat('K')) {
      if (!emit("extern \"")) return false;
      if (eat('C')) {
        if (!emit("C")) return false;
      } else {
        Ident abi;
        if (!undisambiguated_ident(abi) || abi.punycode) return false;
        std::string name(abi.ascii);
        for (char& c : name) c = c == '_' ? '-' : c;
        if (!emit(name)) return false;
      }
      if (!emit("\" ")) return false;
    }
    if (!emit("fn(")) return false;
    for (bool first = true; !eat('E'); first = false) {
      if (!first && !emit(", ")) return false;
      if (!type()) return false;
    }
    if (!emit(")")) return false;
    bool ok = eat('u') || (emit(" -> ") && type());  // a () result is not shown
    bound_lifetimes_ -= bound;
    return ok;
  }
  // D [<binder>] {<dyn-trait>} "E" <lifetime>
  bool dyn_type() {
    if (!emit("dyn ")) return false;
    uint64_t bound = 0;
    if (!binder(bound)) return false;
    for (bool first = true; !eat('E'); first = false) {
      if (!first && !emit(" + ")) return false;
      if (!dyn_trait()) return false;
    }
    bound_lifetimes_ -= bound;
    uint64_t lifetime;
    if (!eat('L') || !base62(lifetime)) return false;
    return lifetime == 0 || (emit(" + ") && print_lifetime(lifetime));
  }
  // <path> {"p" <undisambiguated-identifier> <type>}: Trait<Args, Assoc = T>. The generic
  // arguments of the path stay open so that the associated types join them.
  bool dyn_trait() {
    if (!enter()) return false;
    bool open = false;
    if (!leave(trait_path(open))) return false;
    while (eat('p')) {
      if (!emit(open ? ", " : "<")) return false;
      open = true;
      Ident name;
      if (!undisambiguated_ident(name) || !print_ident(name) || !emit(" = ") || !type()) {
        return false;
      }
    }
    return !open || emit(">");
  }
  bool trait_path(bool& open) {
    if (eat('B')) return backref([&] { return enter() && leave(trait_path(open)); });
    if (eat('I')) {
      open = true;
      return path(false) && emit("<") && generic_args();  // leaves the '<' open
    }
    return path(false);
  }

  // --- constants ---------------------------------------------------------------------------

  bool konst() { return enter() && leave(konst_inner()); }
  bool konst_inner() {
    if (eat('B')) return backref([&] { return konst(); });
    char tag;
    if (!next(tag)) return false;
    if (tag == 'p') return emit("_");
    std::string_view hex;
    switch (tag) {
      case 'a':
      case 's':
      case 'l':
      case 'x':
      case 'n':
      case 'i':  // signed integers
        if (eat('n') && !emit("-")) return false;
        [[fallthrough]];
      case 'h':
      case 't':
      case 'm':
      case 'y':
      case 'o':
      case 'j':  // unsigned integers
        return hex_nibbles(hex) && print_hex_integer(hex);
      case 'b':
        if (!hex_nibbles(hex)) return false;
        if (hex == "0") return emit("false");
        if (hex == "1") return emit("true");
        return false;
      case 'c': return hex_nibbles(hex) && print_char(hex);
      default: return false;  // str, reference, array, tuple and ADT constants: unsupported
    }
  }
  bool hex_nibbles(std::string_view& hex) {
    size_t start = pos_;
    while (pos_ < sym_.size() && is_lower_hex(sym_[pos_])) ++pos_;
    hex = sym_.substr(start, pos_ - start);
    return eat('_');
  }
  bool print_hex_integer(std::string_view hex) {
    while (hex.size() > 1 && hex.front() == '0') hex.remove_prefix(1);
    if (hex.size() > 16) return emit("0x") && emit(hex);
    uint64_t value = 0;
    for (char c : hex)
      value = value << 4 | static_cast<uint64_t>(is_digit(c) ? c - '0' : c - 'a' + 10);
    return print_number(value);
  }
  bool print_char(std::string_view hex) {
    while (hex.size() > 1 && hex.front() == '0') hex.remove_prefix(1);
    if (hex.empty() || hex.size() > 8) return false;
    uint64_t code = 0;
    for (char c : hex)
      code = code << 4 | static_cast<uint64_t>(is_digit(c) ? c - '0' : c - 'a' + 10);
    if (!valid_scalar(code)) return false;
    std::string text = "'";
    switch (code) {  // as Rust's Debug for char writes them
      case '\t': text += "\\t"; break;
      case '\r': text += "\\r"; break;
      case '\n': text += "\\n"; break;
      case '\'': text += "\\'"; break;
      case '\\': text += "\\\\"; break;
      case 0: text += "\\0"; break;
      default:
        if (code < 0x20 || code == 0x7F) {
          char escaped[16];
          std::snprintf(escaped, sizeof escaped, "\\u{%x}", static_cast<unsigned>(code));
          text += escaped;
        } else {
          append_utf8(text, static_cast<char32_t>(code));
        }
    }
    text += '\'';
    return emit(text);
  }

  std::string_view sym_;
  size_t pos_ = 0;
  std::string out_;
  uint32_t depth_ = 0;
  uint32_t steps_ = 0;
  uint32_t silent_ = 0;  // > 0: parse without printing
  uint64_t bound_lifetimes_ = 0;
};

std::optional<std::string> demangle_rust_v0(std::string_view symbol) {
  // The mangled part is [A-Za-z0-9_]; a vendor suffix starting with '.' is shown as written.
  size_t end = 2;
  while (end < symbol.size()) {
    char c = symbol[end];
    if (!(is_digit(c) || is_lower(c) || is_upper(c) || c == '_')) break;
    ++end;
  }
  std::string_view suffix = symbol.substr(end);
  if (!suffix.empty() && suffix.front() != '.') return std::nullopt;
  std::optional<std::string> name = V0Demangler(symbol.substr(2, end - 2)).run();
  if (name) *name += suffix;
  return name;
}

}  // namespace

std::string demangle(std::string_view symbol) {
  std::optional<std::string> name;
  if (symbol.size() > kMaxInput) return std::string(symbol);
  if (symbol.starts_with("_R")) {
    name = demangle_rust_v0(strip_llvm_suffix(symbol));
  } else if (symbol.starts_with("_Z")) {
    name = demangle_rust_legacy(strip_llvm_suffix(symbol));
    if (!name) name = demangle_itanium(symbol);
  }
  return name ? std::move(*name) : std::string(symbol);
}

}  // namespace lantern::observe
