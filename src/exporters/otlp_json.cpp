#include "lantern/exporters/otlp_json.h"

#include <cmath>
#include <string>

#ifndef LANTERN_VERSION
#define LANTERN_VERSION "0.1.0"
#endif

namespace lantern::exporters {
namespace {

using nlohmann::json;
using observe::Scope;

std::string u64(uint64_t v) { return std::to_string(v); }

json any_value(const observe::AttributeValue& value) {
  if (auto* s = std::get_if<std::string>(&value)) return {{"stringValue", *s}};
  if (auto* i = std::get_if<int64_t>(&value)) return {{"intValue", std::to_string(*i)}};
  if (auto* d = std::get_if<double>(&value)) return {{"doubleValue", *d}};
  return {{"boolValue", std::get<bool>(value)}};
}

json scope(Scope s) {
  return {{"name", s == Scope::Host ? kHostScope : kGuestScope}, {"version", LANTERN_VERSION}};
}

json resource_json(const observe::Resource& resource) {
  json r = json::object();
  if (!resource.attributes.empty()) r["attributes"] = encode_attributes(resource.attributes);
  return r;
}

// Splits items into the host scope and the guest scope (in that order), skipping empty ones.
template <typename T, typename Encode>
json by_scope(std::span<const T> items, const char* list_name, Encode encode) {
  json scopes = json::array();
  for (Scope s : {Scope::Host, Scope::Guest}) {
    json list = json::array();
    for (const T& item : items)
      if (item.scope == s) list.push_back(encode(item));
    if (!list.empty()) scopes.push_back({{"scope", scope(s)}, {list_name, std::move(list)}});
  }
  return scopes;
}

json encode_span(const observe::Span& s) {
  json j = {{"traceId", s.trace_id.hex()},
            {"spanId", s.span_id.hex()},
            {"name", s.name},
            {"kind", static_cast<int>(s.kind)},
            {"startTimeUnixNano", u64(s.start_unix_ns)},
            {"endTimeUnixNano", u64(s.end_unix_ns)}};
  if (s.parent_span_id.valid()) j["parentSpanId"] = s.parent_span_id.hex();
  if (!s.trace_state.empty()) j["traceState"] = s.trace_state;
  if (!s.attributes.empty()) j["attributes"] = encode_attributes(s.attributes);
  if (!s.events.empty()) {
    json events = json::array();
    for (const observe::SpanEvent& e : s.events) {
      json event = {{"timeUnixNano", u64(e.time_unix_ns)}, {"name", e.name}};
      if (!e.attributes.empty()) event["attributes"] = encode_attributes(e.attributes);
      events.push_back(std::move(event));
    }
    j["events"] = std::move(events);
  }
  json status = json::object();
  if (s.status != observe::StatusCode::Unset) status["code"] = static_cast<int>(s.status);
  if (!s.status_message.empty()) status["message"] = s.status_message;
  j["status"] = std::move(status);
  return j;
}

json encode_log(const observe::LogRecord& l) {
  json j = {{"timeUnixNano", u64(l.time_unix_ns)},
            {"observedTimeUnixNano", u64(l.time_unix_ns)},
            {"severityNumber", static_cast<int>(l.severity)},
            {"severityText", observe::severity_text(l.severity)},
            {"body", {{"stringValue", l.body}}}};
  if (!l.attributes.empty()) j["attributes"] = encode_attributes(l.attributes);
  if (l.trace_id.valid()) j["traceId"] = l.trace_id.hex();
  if (l.span_id.valid()) j["spanId"] = l.span_id.hex();
  return j;
}

json encode_metric(const observe::MetricPoint& m) {
  // statsd sample rates: a counter sampled at 0.1 stands for ten times its value.
  double scale = m.sample_rate > 0 ? 1.0 / m.sample_rate : 1.0;
  json point = {{"timeUnixNano", u64(m.time_unix_ns)}};
  if (!m.attributes.empty()) point["attributes"] = encode_attributes(m.attributes);
  if (m.trace_id.valid() && m.span_id.valid()) {
    point["exemplars"] = json::array({{{"timeUnixNano", u64(m.time_unix_ns)},
                                       {"asDouble", m.value},
                                       {"traceId", m.trace_id.hex()},
                                       {"spanId", m.span_id.hex()}}});
  }
  json j = {{"name", m.name}};
  if (!m.unit.empty()) j["unit"] = m.unit;
  constexpr int kDelta = 1;  // AGGREGATION_TEMPORALITY_DELTA
  switch (m.kind) {
    case observe::MetricKind::Counter:
      point["asDouble"] = m.value * scale;
      j["sum"] = {{"dataPoints", json::array({point})},
                  {"aggregationTemporality", kDelta},
                  {"isMonotonic", true}};
      break;
    case observe::MetricKind::Gauge:
      point["asDouble"] = m.value;
      j["gauge"] = {{"dataPoints", json::array({point})}};
      break;
    case observe::MetricKind::Timer:
    case observe::MetricKind::Histogram: {
      // One observation, standing for `scale` of them: a histogram with a single bucket.
      uint64_t count = static_cast<uint64_t>(std::llround(scale));
      point["count"] = u64(count);
      point["sum"] = m.value * static_cast<double>(count);
      point["min"] = m.value;
      point["max"] = m.value;
      point["bucketCounts"] = json::array({u64(count)});
      point["explicitBounds"] = json::array();
      j["histogram"] = {{"dataPoints", json::array({point})}, {"aggregationTemporality", kDelta}};
      break;
    }
  }
  return j;
}

}  // namespace

json encode_attributes(const observe::Attributes& attributes) {
  json list = json::array();
  for (const observe::Attribute& a : attributes) {
    list.push_back({{"key", a.key}, {"value", any_value(a.value)}});
  }
  return list;
}

json encode_traces(const observe::Resource& resource, std::span<const observe::Span> spans) {
  return {
      {"resourceSpans", json::array({{{"resource", resource_json(resource)},
                                      {"scopeSpans", by_scope(spans, "spans", encode_span)}}})}};
}

json encode_logs(const observe::Resource& resource, std::span<const observe::LogRecord> logs) {
  return {
      {"resourceLogs", json::array({{{"resource", resource_json(resource)},
                                     {"scopeLogs", by_scope(logs, "logRecords", encode_log)}}})}};
}

json encode_metrics(const observe::Resource& resource,
                    std::span<const observe::MetricPoint> points) {
  // Metric points carry no scope of their own: they all come from the guest.
  json metrics = json::array();
  for (const observe::MetricPoint& m : points) metrics.push_back(encode_metric(m));
  return {{"resourceMetrics",
           json::array({{{"resource", resource_json(resource)},
                         {"scopeMetrics", json::array({{{"scope", scope(Scope::Guest)},
                                                        {"metrics", metrics}}})}}})}};
}

}  // namespace lantern::exporters
