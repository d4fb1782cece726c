// OTLP/JSON encoding (the OTLP specification's JSON mapping of the protobuf messages): trace and
// span ids as lowercase hex, 64-bit integers as decimal strings, enums as integers, lowerCamelCase
// field names, empty fields omitted. Used by the file output and the OTLP/HTTP JSON exporter.
#pragma once

#include <nlohmann/json.hpp>
#include <span>

#include "lantern/observe/telemetry.h"

namespace lantern::exporters {

// Instrumentation scope names: Lantern's own spans and what came from the guest.
inline constexpr const char* kHostScope = "lantern";
inline constexpr const char* kGuestScope = "lantern.guest";

nlohmann::json encode_attributes(const observe::Attributes& attributes);
// ExportTraceServiceRequest / ExportLogsServiceRequest / ExportMetricsServiceRequest.
nlohmann::json encode_traces(const observe::Resource& resource,
                             std::span<const observe::Span> spans);
nlohmann::json encode_logs(const observe::Resource& resource,
                           std::span<const observe::LogRecord> logs);
nlohmann::json encode_metrics(const observe::Resource& resource,
                              std::span<const observe::MetricPoint> points);

}  // namespace lantern::exporters
