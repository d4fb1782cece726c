// The telemetry Lantern produces, in the shape OpenTelemetry exports it: spans, log records and
// metric data points, all tied to a trace. Exporters (console, OTLP/JSON file, and the network
// exporters) consume these; the collector produces them in batches.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace lantern::observe {

struct TraceId {
  std::array<uint8_t, 16> bytes{};
  bool valid() const;  // not all zero
  std::string hex() const;
  bool operator==(const TraceId&) const = default;
};

struct SpanId {
  std::array<uint8_t, 8> bytes{};
  bool valid() const;
  std::string hex() const;
  bool operator==(const SpanId&) const = default;
};

// W3C trace context of a span: what `traceparent`/`tracestate` carry.
struct SpanContext {
  TraceId trace_id;
  SpanId span_id;
  bool sampled = true;
  std::string trace_state;  // opaque, passed on unchanged
  bool valid() const { return trace_id.valid() && span_id.valid(); }
};

using AttributeValue = std::variant<std::string, int64_t, double, bool>;
struct Attribute {
  std::string key;
  AttributeValue value;
  bool operator==(const Attribute&) const = default;
};
using Attributes = std::vector<Attribute>;

struct SpanEvent {
  std::string name;
  uint64_t time_unix_ns = 0;
  Attributes attributes;
};

enum class SpanKind : uint8_t { Internal = 1, Server = 2, Client = 3 };  // OTLP numbering
enum class StatusCode : uint8_t { Unset = 0, Ok = 1, Error = 2 };        // OTLP numbering

// Who produced a span: the host (Lantern's own spans) or the guest module.
enum class Scope : uint8_t { Host, Guest };

struct Span {
  TraceId trace_id;
  SpanId span_id;
  SpanId parent_span_id;  // invalid (zero) for a root
  std::string trace_state;
  std::string name;
  SpanKind kind = SpanKind::Internal;
  Scope scope = Scope::Guest;
  uint64_t start_unix_ns = 0;
  uint64_t end_unix_ns = 0;
  Attributes attributes;
  std::vector<SpanEvent> events;
  StatusCode status = StatusCode::Unset;
  std::string status_message;
};

// OTLP severity numbers for the guest API's levels (Error=1 ... Trace=5).
enum class Severity : uint8_t { Trace = 1, Debug = 5, Info = 9, Warn = 13, Error = 17 };
const char* severity_text(Severity severity);  // "TRACE", "DEBUG", "INFO", "WARN", "ERROR"

struct LogRecord {
  uint64_t time_unix_ns = 0;
  Severity severity = Severity::Info;
  std::string body;
  TraceId trace_id;
  SpanId span_id;
  Scope scope = Scope::Guest;
  Attributes attributes;
};

// One statsd data point. Counters become OTLP delta sums, gauges gauges, timers and histograms
// OTLP histograms (one observation each).
enum class MetricKind : uint8_t { Counter, Gauge, Timer, Histogram };

struct MetricPoint {
  std::string name;
  MetricKind kind = MetricKind::Counter;
  double value = 0;
  double sample_rate = 1.0;  // statsd @rate; counters are scaled by 1/rate when exported
  std::string unit;          // "ms" for timers
  uint64_t time_unix_ns = 0;
  TraceId trace_id;  // the span current when the guest reported it (exemplar)
  SpanId span_id;
  Attributes attributes;  // statsd #tags
};

// The resource (process-wide attributes: service.name, host.name, ...) of an execution.
struct Resource {
  Attributes attributes;
};

}  // namespace lantern::observe
