// W3C Trace Context (traceparent / tracestate) and the generator of trace and span ids.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lantern/observe/telemetry.h"
#include "lantern/util/expected.h"

namespace lantern::observe {

// "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>". Later versions (not "ff") may append
// fields, which are ignored as the specification asks. Errors say what is wrong.
Expected<SpanContext> parse_traceparent(std::string_view text);
std::string format_traceparent(const SpanContext& context);

// A tracestate header worth passing on: at most 32 comma-separated `key=value` members with
// keys and values as the specification's grammar allows. An invalid one is dropped.
bool valid_tracestate(std::string_view text);

// Random, never-zero ids from a generator seeded once per object (no global state).
class IdGenerator {
 public:
  IdGenerator();
  TraceId new_trace_id();
  SpanId new_span_id();

 private:
  uint64_t next();  // xoshiro256**
  uint64_t state_[4];
};

}  // namespace lantern::observe
