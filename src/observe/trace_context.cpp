#include "lantern/observe/trace_context.h"

#include <random>

namespace lantern::observe {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // uppercase is not allowed by the specification
}

template <size_t N>
bool parse_hex(std::string_view text, std::array<uint8_t, N>& out) {
  if (text.size() != 2 * N) return false;
  for (size_t i = 0; i < N; ++i) {
    int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

Unexpected bad(std::string why) { return make_error(Phase::Config, std::move(why)); }

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Expected<SpanContext> parse_traceparent(std::string_view text) {
  if (text.size() < 55)
    return bad("traceparent must be 55 characters (version-traceid-spanid-flags)");
  std::array<uint8_t, 1> version{}, flags{};
  if (!parse_hex(text.substr(0, 2), version))
    return bad("traceparent version is not lowercase hex");
  if (version[0] == 0xff) return bad("traceparent version ff is invalid");
  if (version[0] == 0 && text.size() != 55)
    return bad("version 00 traceparent must be 55 characters");
  if (text[2] != '-' || text[35] != '-' || text[52] != '-') {
    return bad("traceparent fields must be separated by '-'");
  }
  if (text.size() > 55 && text[55] != '-') return bad("traceparent has junk after the flags");
  SpanContext context;
  if (!parse_hex(text.substr(3, 32), context.trace_id.bytes)) {
    return bad("trace id is not 32 lowercase hex digits");
  }
  if (!parse_hex(text.substr(36, 16), context.span_id.bytes)) {
    return bad("parent id is not 16 lowercase hex digits");
  }
  if (!parse_hex(text.substr(53, 2), flags)) return bad("trace flags are not lowercase hex");
  if (!context.trace_id.valid()) return bad("trace id is all zeros");
  if (!context.span_id.valid()) return bad("parent id is all zeros");
  context.sampled = flags[0] & 1;
  return context;
}

std::string format_traceparent(const SpanContext& context) {
  return "00-" + context.trace_id.hex() + "-" + context.span_id.hex() +
         (context.sampled ? "-01" : "-00");
}

bool valid_tracestate(std::string_view text) {
  if (text.empty() || text.size() > 512) return false;
  int members = 0;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view member = text.substr(0, comma);
    text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
    while (!member.empty() && (member.front() == ' ' || member.front() == '\t'))
      member.remove_prefix(1);
    while (!member.empty() && (member.back() == ' ' || member.back() == '\t'))
      member.remove_suffix(1);
    if (member.empty()) continue;  // empty list members are allowed
    if (++members > 32) return false;
    size_t eq = member.find('=');
    if (eq == 0 || eq == std::string_view::npos || eq > 256) return false;
    std::string_view key = member.substr(0, eq), value = member.substr(eq + 1);
    for (char c : key) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                c == '*' || c == '/' || c == '@';
      if (!ok) return false;
    }
    if (value.empty() || value.size() > 256 || value.back() == ' ') return false;
    for (char c : value) {
      if (c < 0x20 || c > 0x7e || c == ',' || c == '=') return false;
    }
  }
  return members > 0;
}

IdGenerator::IdGenerator() {
  std::random_device device;
  for (uint64_t& s : state_) s = (uint64_t{device()} << 32) ^ device();
  if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0) state_[0] = 1;
}

uint64_t IdGenerator::next() {
  uint64_t result = rotl(state_[1] * 5, 7) * 9;
  uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

TraceId IdGenerator::new_trace_id() {
  TraceId id;
  do {
    uint64_t hi = next(), lo = next();
    for (int i = 0; i < 8; ++i) {
      id.bytes[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
      id.bytes[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
    }
  } while (!id.valid());
  return id;
}

SpanId IdGenerator::new_span_id() {
  SpanId id;
  do {
    uint64_t v = next();
    for (int i = 0; i < 8; ++i) id.bytes[i] = static_cast<uint8_t>(v >> (56 - 8 * i));
  } while (!id.valid());
  return id;
}

}  // namespace lantern::observe
