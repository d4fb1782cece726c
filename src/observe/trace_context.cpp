#include "lantern/observe/trace_context.h"

#include <algorithm>
#include <random>
#include <vector>

namespace lantern::observe {
namespace {

Unexpected invalid(std::string problem) { return make_error(Phase::Config, std::move(problem)); }

std::string_view trim_ows(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// Lowercase hex into bytes; the specification forbids uppercase digits.
template <size_t N>
bool lower_hex(std::string_view text, std::array<uint8_t, N>& bytes) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (text.size() != 2 * N) return false;
  for (size_t i = 0; i < N; ++i) {
    int high = nibble(text[2 * i]);
    int low = nibble(text[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    bytes[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return true;
}

// Field positions in a traceparent: version 0-1, trace id 3-34, parent id 36-51, flags 53-54.
constexpr size_t kTraceIdAt = 3, kParentIdAt = 36, kFlagsAt = 53;

bool lcalpha(char c) { return c >= 'a' && c <= 'z'; }
bool key_char(char c) {
  return lcalpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '*' || c == '/';
}

// `first` checks the first character, every other one must be key_char.
bool key_part(std::string_view part, size_t max_size, bool (*first)(char)) {
  return !part.empty() && part.size() <= max_size && first(part.front()) &&
         std::all_of(part.begin() + 1, part.end(), key_char);
}

bool valid_key(std::string_view key) {
  size_t at = key.find('@');
  if (at == std::string_view::npos) return key_part(key, 256, lcalpha);
  auto tenant_first = [](char c) { return lcalpha(c) || (c >= '0' && c <= '9'); };
  return key_part(key.substr(0, at), 241, tenant_first) &&
         key_part(key.substr(at + 1), 14, lcalpha);
}

bool valid_value(std::string_view value) {
  auto allowed = [](char c) { return c >= 0x20 && c <= 0x7e && c != ',' && c != '='; };
  return !value.empty() && value.size() <= 256 && value.back() != ' ' &&
         std::all_of(value.begin(), value.end(), allowed);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// splitmix64: spreads one seed over the generator's 256 bits of state (the seeding its
// authors recommend for xoshiro).
uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

template <size_t N>
void store_big_endian(uint64_t value, std::array<uint8_t, N>& bytes, size_t at) {
  for (size_t i = 0; i < 8; ++i) bytes[at + i] = static_cast<uint8_t>(value >> (56 - 8 * i));
}

}  // namespace

Expected<SpanContext> parse_traceparent(std::string_view text) {
  text = trim_ows(text);
  if (text.size() < kTraceparentSize) {
    return invalid("traceparent has " + std::to_string(text.size()) +
                   " characters; version-traceid-parentid-flags needs 55");
  }
  std::array<uint8_t, 1> version{}, flags{};
  if (!lower_hex(text.substr(0, 2), version)) {
    return invalid("traceparent version is not 2 lowercase hex digits");
  }
  if (text[kTraceIdAt - 1] != '-' || text[kParentIdAt - 1] != '-' || text[kFlagsAt - 1] != '-') {
    return invalid("traceparent fields must be 2, 32, 16 and 2 hex digits separated by '-'");
  }
  if (version[0] == 0xff) return invalid("traceparent version ff is invalid");
  if (version[0] == 0 && text.size() != kTraceparentSize) {
    return invalid("a version 00 traceparent has exactly 55 characters, this one " +
                   std::to_string(text.size()));
  }
  if (text.size() > kTraceparentSize && text[kTraceparentSize] != '-') {
    return invalid("a later traceparent version may only add fields after a '-'");
  }
  SpanContext context;
  if (!lower_hex(text.substr(kTraceIdAt, 32), context.trace_id.bytes)) {
    return invalid("trace id is not 32 lowercase hex digits");
  }
  if (!lower_hex(text.substr(kParentIdAt, 16), context.span_id.bytes)) {
    return invalid("parent id is not 16 lowercase hex digits");
  }
  if (!lower_hex(text.substr(kFlagsAt, 2), flags)) {
    return invalid("trace flags are not 2 lowercase hex digits");
  }
  if (!context.trace_id.valid()) return invalid("trace id is all zeros");
  if (!context.span_id.valid()) return invalid("parent id is all zeros");
  context.sampled = (flags[0] & 0x01) != 0;
  return context;
}

std::string format_traceparent(const SpanContext& context) {
  std::string text = "00-";
  text += context.trace_id.hex();
  text += '-';
  text += context.span_id.hex();
  text += context.sampled ? "-01" : "-00";
  return text;
}

bool valid_tracestate(std::string_view text) {
  std::vector<std::string_view> keys;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view member = trim_ows(text.substr(0, comma));
    text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
    if (member.empty()) continue;
    size_t equals = member.find('=');
    if (equals == std::string_view::npos) return false;
    std::string_view key = member.substr(0, equals);
    if (!valid_key(key) || !valid_value(member.substr(equals + 1))) return false;
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) return false;
    if (keys.size() == 32) return false;
    keys.push_back(key);
  }
  return !keys.empty();
}

Expected<SpanContext> parse_trace_context(std::string_view traceparent,
                                          std::string_view tracestate) {
  auto context = parse_traceparent(traceparent);
  if (!context) return context;
  tracestate = trim_ows(tracestate);
  if (valid_tracestate(tracestate)) context->trace_state.assign(tracestate);
  return context;
}

IdGenerator::IdGenerator() {
  std::random_device device;
  for (uint64_t& word : state_) word = uint64_t{device()} << 32 | device();
  if (std::all_of(state_.begin(), state_.end(), [](uint64_t w) { return w == 0; })) {
    *this = IdGenerator(0);  // xoshiro's one forbidden state
  }
}

IdGenerator::IdGenerator(uint64_t seed) {
  for (uint64_t& word : state_) word = splitmix64(seed);
}

// xoshiro256** (Blackman and Vigna, 2018).
uint64_t IdGenerator::next() {
  uint64_t result = rotl(state_[1] * 5, 7) * 9;
  uint64_t shifted = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= shifted;
  state_[3] = rotl(state_[3], 45);
  return result;
}

TraceId IdGenerator::new_trace_id() {
  TraceId id;
  do {
    store_big_endian(next(), id.bytes, 0);
    store_big_endian(next(), id.bytes, 8);
  } while (!id.valid());
  return id;
}

SpanId IdGenerator::new_span_id() {
  SpanId id;
  do {
    store_big_endian(next(), id.bytes, 0);
  } while (!id.valid());
  return id;
}

}  // namespace lantern::observe
