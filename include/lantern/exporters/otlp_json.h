// OTLP/JSON encoding: the OTLP specification's JSON mapping of the collector service requests.
// It is proto3's JSON mapping with OTLP's exceptions: trace and span ids as lowercase hex (not
// base64), enums as integers; and, as proto3 says, 64-bit integers as decimal strings,
// lowerCamelCase field names, fields holding their default value (0, "", empty) omitted,
// non-finite doubles as "NaN" / "Infinity" / "-Infinity". Used by the file output and, later,
// the OTLP/HTTP JSON exporter; the encoders take Lantern's records as they come from the
// collector.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "lantern/observe/telemetry.h"

namespace lantern::exporters {

// Instrumentation scope names: Lantern's own spans and logs, and what came from the guest. The
// scope version is Lantern's (LANTERN_VERSION).
inline constexpr const char* kHostScope = "lantern";
inline constexpr const char* kGuestScope = "lantern.guest";

// AnyValue: {"stringValue"} / {"intValue": "<decimal>"} / {"doubleValue"} / {"boolValue"}.
nlohmann::json encode_any_value(const observe::AttributeValue& value);
// [{"key", "value": AnyValue}, ...]
nlohmann::json encode_attributes(const observe::Attributes& attributes);

// ExportTraceServiceRequest: one resourceSpans, spans grouped into one scopeSpans per Scope (host
// first), each group in the order given.
nlohmann::json encode_traces(const observe::Resource& resource,
                             std::span<const observe::Span> spans);
// ExportLogsServiceRequest: one resourceLogs, records grouped by Scope like spans.
nlohmann::json encode_logs(const observe::Resource& resource,
                           std::span<const observe::LogRecord> logs);
// ExportMetricsServiceRequest: one resourceMetrics with one scopeMetrics (the guest's: only
// guests send metrics). Points of the same name, kind and unit share one Metric, in order of
// first appearance. Counters are DELTA monotonic sums scaled by 1/sample_rate; gauges gauges;
// timers and histograms DELTA histograms holding one observation each (count round(1/rate)).
nlohmann::json encode_metrics(const observe::Resource& resource,
                              std::span<const observe::MetricPoint> points);

// The request as one line of text (no newline). Guest strings may hold invalid UTF-8, which JSON
// cannot carry: such bytes become U+FFFD instead of failing the whole batch.
std::string to_json_text(const nlohmann::json& request);

}  // namespace lantern::exporters
