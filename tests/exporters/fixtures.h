// Builders for the exporters' tests: telemetry that looks like what the collector hands over.
#pragma once

#include <cstdint>
#include <string>

#include "lantern/observe/telemetry.h"

namespace lantern::exporters::testing {

inline observe::TraceId trace_id(uint8_t last) {
  observe::TraceId id;
  id.bytes = {0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
              0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, last};
  return id;
}

// Span id 00f067aa0ba902<n>; 0 is the invalid (absent) id.
inline observe::SpanId span_id(uint8_t n) {
  observe::SpanId id;
  if (n != 0) id.bytes = {0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, n};
  return id;
}

// Times are nanoseconds after kT0, a Unix time above 2^53 (where doubles lose precision).
inline constexpr uint64_t kT0 = 1'700'000'000'000'000'000;

inline observe::Span make_span(uint8_t id, uint8_t parent, std::string name, observe::Scope scope,
                               uint64_t start, uint64_t end) {
  observe::Span s;
  s.trace_id = trace_id(0x36);
  s.span_id = span_id(id);
  s.parent_span_id = span_id(parent);
  s.name = std::move(name);
  s.scope = scope;
  s.start_unix_ns = kT0 + start;
  s.end_unix_ns = kT0 + end;
  return s;
}

inline observe::LogRecord make_log(observe::Severity severity, std::string body, uint8_t span,
                                   uint64_t time) {
  observe::LogRecord l;
  l.time_unix_ns = kT0 + time;
  l.severity = severity;
  l.body = std::move(body);
  l.trace_id = trace_id(0x36);
  l.span_id = span_id(span);
  return l;
}

inline observe::MetricPoint make_metric(std::string name, observe::MetricKind kind, double value,
                                        double sample_rate = 1.0, std::string unit = "") {
  observe::MetricPoint m;
  m.name = std::move(name);
  m.kind = kind;
  m.value = value;
  m.sample_rate = sample_rate;
  m.unit = std::move(unit);
  m.time_unix_ns = kT0;
  return m;
}

}  // namespace lantern::exporters::testing
