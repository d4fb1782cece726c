// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` and `tracestate`
// values that carry a caller's span into Lantern (TRACEPARENT / TRACESTATE in the environment,
// --traceparent) and out to the guest, and the generator of new trace and span ids.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lantern/observe/telemetry.h"
#include "lantern/util/expected.h"

namespace lantern::observe {

// "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>".
inline constexpr size_t kTraceparentSize = 55;

// Parses a traceparent. Version 00 is exactly 55 characters; a later version (anything but the
// invalid "ff") may be longer, and only its first four fields are read, as the specification
// asks, provided a '-' follows the flags. Hex must be lowercase; all-zero ids are invalid.
// Spaces and tabs around the value (HTTP's optional white space) are ignored. Flags bit 0 is
// `sampled`; the other bits are ignored. The result's trace_state is empty. Errors (phase
// Config) say what is wrong without quoting the input.
Expected<SpanContext> parse_traceparent(std::string_view text);

// Always version 00, flags 01 (sampled) or 00. The context should be valid().
std::string format_traceparent(const SpanContext& context);

// True for a tracestate worth passing on: 1 to 32 list members `key=value`, separated by commas
// with optional spaces/tabs around them (empty members are allowed and not counted); keys are
// `simple-key` (a-z, then up to 255 of a-z 0-9 _ - * /) or `tenant@system` (1-241 and 1-14
// characters, the tenant may start with a digit), each key at most once; values are 1-256
// printable ASCII characters other than ',' and '=', not ending in a space. The specification
// says to drop an invalid tracestate as a whole and carry on with the traceparent.
bool valid_tracestate(std::string_view text);

// A traceparent with its tracestate (TRACEPARENT + TRACESTATE): the tracestate (with outer
// white space removed) becomes trace_state when valid_tracestate() accepts it and is dropped
// otherwise. Fails only when the traceparent does.
Expected<SpanContext> parse_trace_context(std::string_view traceparent,
                                          std::string_view tracestate);

// Random trace and span ids, never all zero. Each generator is seeded once (no global state)
// and draws from xoshiro256**: fast, 2^256 - 1 period, all 64 output bits usable, so the lower
// 56 bits of a trace id are random as W3C Trace Context Level 2 and OpenTelemetry's ratio
// sampler expect. Not thread-safe: one generator per thread or per collector. Not for secrets.
class IdGenerator {
 public:
  IdGenerator();                        // seeded from std::random_device
  explicit IdGenerator(uint64_t seed);  // a reproducible sequence (tests, benchmarks)

  TraceId new_trace_id();
  SpanId new_span_id();

 private:
  uint64_t next();
  std::array<uint64_t, 4> state_{};
};

}  // namespace lantern::observe
