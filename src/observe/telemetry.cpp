#include "lantern/observe/telemetry.h"

#include <algorithm>

namespace lantern::observe {
namespace {

template <size_t N>
std::string to_hex(const std::array<uint8_t, N>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * N, '0');
  for (size_t i = 0; i < N; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xF];
  }
  return out;
}

template <size_t N>
bool nonzero(const std::array<uint8_t, N>& bytes) {
  return std::any_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b != 0; });
}

}  // namespace

bool TraceId::valid() const { return nonzero(bytes); }
std::string TraceId::hex() const { return to_hex(bytes); }
bool SpanId::valid() const { return nonzero(bytes); }
std::string SpanId::hex() const { return to_hex(bytes); }

const char* severity_text(Severity severity) {
  switch (severity) {
    case Severity::Trace: return "TRACE";
    case Severity::Debug: return "DEBUG";
    case Severity::Info: return "INFO";
    case Severity::Warn: return "WARN";
    case Severity::Error: return "ERROR";
  }
  return "INFO";
}

}  // namespace lantern::observe
