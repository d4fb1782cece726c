#include "lantern/exporters/otlp_json.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#ifndef LANTERN_VERSION
#define LANTERN_VERSION "0.1.0"
#endif

namespace lantern::exporters {
namespace {

using nlohmann::json;
using observe::Scope;

// proto3 JSON writes every 64-bit integer (int64, fixed64, uint64) as a decimal string:
// JavaScript numbers lose precision above 2^53, and Unix nanoseconds are above 2^60.
std::string u64(uint64_t v) { return std::to_string(v); }

constexpr int kDelta = 1;  // AGGREGATION_TEMPORALITY_DELTA

json encode_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

json scope_json(Scope s) {
  return {{"name", s == Scope::Host ? kHostScope : kGuestScope}, {"version", LANTERN_VERSION}};
}

json resource_json(const observe::Resource& resource) {
  json r = json::object();
  if (!resource.attributes.empty()) r["attributes"] = encode_attributes(resource.attributes);
  return r;
}

// One scope entry per Scope that has items (host first), items in their given order.
template <typename T, typename Encode>
json by_scope(std::span<const T> items, const char* list_name, Encode encode) {
  json scopes = json::array();
  for (Scope s : {Scope::Host, Scope::Guest}) {
    json list = json::array();
    for (const T& item : items) {
      if (item.scope == s) list.push_back(encode(item));
    }
    if (!list.empty()) scopes.push_back({{"scope", scope_json(s)}, {list_name, std::move(list)}});
  }
  return scopes;
}

json encode_span(const observe::Span& s) {
  json j = {{"traceId", s.trace_id.hex()}, {"spanId", s.span_id.hex()}};
  // Absent rather than "0000000000000000": an all-zero parent id is a root in OTLP, but some
  // receivers take any present parentSpanId as a parent to look for.
  if (s.parent_span_id.valid()) j["parentSpanId"] = s.parent_span_id.hex();
  if (!s.trace_state.empty()) j["traceState"] = s.trace_state;
  j["name"] = s.name;
  j["kind"] = static_cast<int>(s.kind);
  j["startTimeUnixNano"] = u64(s.start_unix_ns);
  j["endTimeUnixNano"] = u64(s.end_unix_ns);
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
  // The guest's log call is both the event and its observation: the two times are the same.
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

// statsd's @rate: a point sampled at 0.25 stands for four like it.
double scale_of(const observe::MetricPoint& m) {
  return m.sample_rate > 0 && m.sample_rate <= 1 ? 1.0 / m.sample_rate : 1.0;
}

json data_point(const observe::MetricPoint& m) {
  json point = json::object();
  if (!m.attributes.empty()) point["attributes"] = encode_attributes(m.attributes);
  point["timeUnixNano"] = u64(m.time_unix_ns);
  switch (m.kind) {
    case observe::MetricKind::Counter:
      point["asDouble"] = encode_double(m.value * scale_of(m));
      break;
    case observe::MetricKind::Gauge: point["asDouble"] = encode_double(m.value); break;
    case observe::MetricKind::Timer:
    case observe::MetricKind::Histogram: {
      // One observation standing for `count` of them. A single bucket (-inf, +inf) with no
      // bounds is valid OTLP and keeps consumers that expect bucketCounts working.
      uint64_t count = std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(scale_of(m))));
      point["count"] = u64(count);
      // OTLP: sum "should not be filled out" when negative values are recorded (OpenMetrics).
      if (m.value >= 0) point["sum"] = encode_double(m.value * static_cast<double>(count));
      point["bucketCounts"] = json::array({u64(count)});
      point["explicitBounds"] = json::array();
      point["min"] = encode_double(m.value);
      point["max"] = encode_double(m.value);
      break;
    }
  }
  // The span that was current when the guest reported the point, as an exemplar of the raw
  // (unscaled) measurement, so a backend can jump from the metric to the trace.
  if (m.trace_id.valid() && m.span_id.valid()) {
    point["exemplars"] = json::array({{{"timeUnixNano", u64(m.time_unix_ns)},
                                       {"asDouble", encode_double(m.value)},
                                       {"spanId", m.span_id.hex()},
                                       {"traceId", m.trace_id.hex()}}});
  }
  return point;
}

// The Metric message without its data points: name, unit and the typed body.
json metric_shell(const observe::MetricPoint& m) {
  json j = {{"name", m.name}};
  if (!m.unit.empty()) j["unit"] = m.unit;
  switch (m.kind) {
    case observe::MetricKind::Counter:
      // Guests count events with statsd counters: monotonic (docs/RATIONALE.md).
      j["sum"] = {
          {"dataPoints", json::array()}, {"aggregationTemporality", kDelta}, {"isMonotonic", true}};
      break;
    case observe::MetricKind::Gauge: j["gauge"] = {{"dataPoints", json::array()}}; break;
    case observe::MetricKind::Timer:
    case observe::MetricKind::Histogram:
      j["histogram"] = {{"dataPoints", json::array()}, {"aggregationTemporality", kDelta}};
      break;
  }
  return j;
}

const char* body_name(observe::MetricKind kind) {
  switch (kind) {
    case observe::MetricKind::Counter: return "sum";
    case observe::MetricKind::Gauge: return "gauge";
    case observe::MetricKind::Timer:
    case observe::MetricKind::Histogram: return "histogram";
  }
  return "gauge";
}

}  // namespace

json encode_any_value(const observe::AttributeValue& value) {
  if (auto* s = std::get_if<std::string>(&value)) return {{"stringValue", *s}};
  if (auto* i = std::get_if<int64_t>(&value)) return {{"intValue", std::to_string(*i)}};
  if (auto* d = std::get_if<double>(&value)) return {{"doubleValue", encode_double(*d)}};
  return {{"boolValue", std::get<bool>(value)}};
}

json encode_attributes(const observe::Attributes& attributes) {
  json list = json::array();
  for (const observe::Attribute& a : attributes) {
    list.push_back({{"key", a.key}, {"value", encode_any_value(a.value)}});
  }
  return list;
}

json encode_traces(const observe::Resource& resource, std::span<const observe::Span> spans) {
  json entry = {{"resource", resource_json(resource)},
                {"scopeSpans", by_scope(spans, "spans", encode_span)}};
  return {{"resourceSpans", json::array({std::move(entry)})}};
}

json encode_logs(const observe::Resource& resource, std::span<const observe::LogRecord> logs) {
  json entry = {{"resource", resource_json(resource)},
                {"scopeLogs", by_scope(logs, "logRecords", encode_log)}};
  return {{"resourceLogs", json::array({std::move(entry)})}};
}

json encode_metrics(const observe::Resource& resource,
                    std::span<const observe::MetricPoint> points) {
  // A Metric is identified by name, kind and unit: points that share them are one time series
  // family and belong in one Metric, not one Metric each.
  json metrics = json::array();
  std::map<std::tuple<std::string_view, observe::MetricKind, std::string_view>, size_t> index;
  for (const observe::MetricPoint& m : points) {
    auto [it, added] = index.try_emplace({m.name, m.kind, m.unit}, metrics.size());
    if (added) metrics.push_back(metric_shell(m));
    metrics[it->second][body_name(m.kind)]["dataPoints"].push_back(data_point(m));
  }
  json scope = {{"scope", scope_json(Scope::Guest)}, {"metrics", std::move(metrics)}};
  json entry = {{"resource", resource_json(resource)},
                {"scopeMetrics", json::array({std::move(scope)})}};
  return {{"resourceMetrics", json::array({std::move(entry)})}};
}

std::string to_json_text(const json& request) {
  return request.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace lantern::exporters
