#include "lantern/exporters/otlp_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "exporters/fixtures.h"

namespace lantern::exporters {
namespace {

using namespace observe;
using namespace exporters::testing;
using nlohmann::json;

const std::string kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

Resource service_resource() {
  return Resource{{{"service.name", std::string("lantern")}, {"process.pid", int64_t{4242}}}};
}

TEST(OtlpJsonTraces, EverySpanFieldFollowsTheJsonMapping) {
  std::vector<Span> spans = {make_span(2, 1, "work", Scope::Guest, 2000, 3000)};
  Span& s = spans[0];
  s.trace_state = "congo=t61rcWkgMzE";
  s.attributes = {{"n", int64_t{5}}, {"ratio", 0.5}, {"ok", true}, {"who", std::string("me")}};
  s.events.push_back({"exception", kT0 + 2500, {{"exception.message", std::string("boom")}}});
  s.events.push_back({"tick", kT0 + 2600, {}});
  s.status = StatusCode::Error;
  s.status_message = "boom";

  json j = encode_traces(service_resource(), spans);
  ASSERT_EQ(j.size(), 1u);
  ASSERT_EQ(j["resourceSpans"].size(), 1u);
  const json& rs = j["resourceSpans"][0];
  EXPECT_EQ(rs["resource"]["attributes"],
            json::parse(R"([{"key":"service.name","value":{"stringValue":"lantern"}},
                            {"key":"process.pid","value":{"intValue":"4242"}}])"));
  ASSERT_EQ(rs["scopeSpans"].size(), 1u);
  const json& scope = rs["scopeSpans"][0]["scope"];
  EXPECT_EQ(scope.size(), 2u);
  EXPECT_EQ(scope["name"], "lantern.guest");
  EXPECT_FALSE(scope["version"].get<std::string>().empty()) << "Lantern's version";
  const json& span = rs["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(span["traceId"], kTrace);
  EXPECT_EQ(span["spanId"], "00f067aa0ba90202");
  EXPECT_EQ(span["parentSpanId"], "00f067aa0ba90201");
  EXPECT_EQ(span["traceState"], "congo=t61rcWkgMzE");
  EXPECT_EQ(span["name"], "work");
  EXPECT_EQ(span["kind"], 1) << "enums are integers (SPAN_KIND_INTERNAL)";
  EXPECT_EQ(span["startTimeUnixNano"], "1700000000000002000") << "exact, as a decimal string";
  EXPECT_EQ(span["endTimeUnixNano"], "1700000000000003000");
  EXPECT_EQ(span["attributes"], json::parse(R"([
      {"key":"n","value":{"intValue":"5"}},
      {"key":"ratio","value":{"doubleValue":0.5}},
      {"key":"ok","value":{"boolValue":true}},
      {"key":"who","value":{"stringValue":"me"}}])"));
  EXPECT_EQ(span["events"], json::parse(R"([
      {"timeUnixNano":"1700000000000002500","name":"exception",
       "attributes":[{"key":"exception.message","value":{"stringValue":"boom"}}]},
      {"timeUnixNano":"1700000000000002600","name":"tick"}])"));
  EXPECT_EQ(span["status"], json::parse(R"({"code":2,"message":"boom"})"));
  EXPECT_EQ(span.size(), 11u) << "no other fields: " << span.dump();
}

TEST(OtlpJsonTraces, EmptyFieldsAreOmitted) {
  Span root = make_span(1, 0, "lantern.execution", Scope::Host, 0, 10);
  json span =
      encode_traces({}, std::span(&root, 1))["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  EXPECT_FALSE(span.contains("parentSpanId")) << "a root has no parent id, not zeros";
  EXPECT_FALSE(span.contains("traceState"));
  EXPECT_FALSE(span.contains("attributes"));
  EXPECT_FALSE(span.contains("events"));
  EXPECT_EQ(span["status"], json::object()) << "code 0 (UNSET) is proto3's default";
  json request = encode_traces({}, std::span(&root, 1));
  EXPECT_EQ(request["resourceSpans"][0]["resource"], json::object());
}

TEST(OtlpJsonTraces, SpansAreGroupedByScopeHostFirstInTheirOrder) {
  std::vector<Span> spans = {make_span(3, 2, "inner", Scope::Guest, 3, 4),
                             make_span(2, 1, "wasm.call _start", Scope::Host, 2, 5),
                             make_span(4, 2, "later", Scope::Guest, 4, 5),
                             make_span(1, 0, "lantern.execution", Scope::Host, 1, 6)};
  json scopes = encode_traces({}, spans)["resourceSpans"][0]["scopeSpans"];
  ASSERT_EQ(scopes.size(), 2u);
  EXPECT_EQ(scopes[0]["scope"]["name"], "lantern");
  EXPECT_EQ(scopes[1]["scope"]["name"], "lantern.guest");
  EXPECT_EQ(scopes[0]["scope"]["version"], scopes[1]["scope"]["version"]);
  ASSERT_EQ(scopes[0]["spans"].size(), 2u);
  EXPECT_EQ(scopes[0]["spans"][0]["name"], "wasm.call _start");
  EXPECT_EQ(scopes[0]["spans"][1]["name"], "lantern.execution");
  ASSERT_EQ(scopes[1]["spans"].size(), 2u);
  EXPECT_EQ(scopes[1]["spans"][0]["name"], "inner");
  EXPECT_EQ(scopes[1]["spans"][1]["name"], "later");

  Span only_guest = spans[0];
  EXPECT_EQ(encode_traces({}, std::span(&only_guest, 1))["resourceSpans"][0]["scopeSpans"].size(),
            1u)
      << "no empty scope entries";
}

TEST(OtlpJsonValues, IntegersAreExactStringsAndOddDoublesFollowProto3) {
  EXPECT_EQ(encode_any_value(std::numeric_limits<int64_t>::min()),
            json::parse(R"({"intValue":"-9223372036854775808"})"));
  EXPECT_EQ(encode_any_value(int64_t{9007199254740993}),
            json::parse(R"({"intValue":"9007199254740993"})"));
  EXPECT_EQ(encode_any_value(std::nan("")), json::parse(R"({"doubleValue":"NaN"})"));
  EXPECT_EQ(encode_any_value(std::numeric_limits<double>::infinity()),
            json::parse(R"({"doubleValue":"Infinity"})"));
  EXPECT_EQ(encode_any_value(-std::numeric_limits<double>::infinity()),
            json::parse(R"({"doubleValue":"-Infinity"})"));
  EXPECT_EQ(encode_any_value(false), json::parse(R"({"boolValue":false})"));
  EXPECT_EQ(encode_attributes({}), json::array());
}

TEST(OtlpJsonValues, InvalidUtf8FromTheGuestBecomesReplacementCharacters) {
  Span s = make_span(1, 0, std::string("bad\xff\xfe name"), Scope::Guest, 0, 1);
  std::string text = to_json_text(encode_traces({}, std::span(&s, 1)));
  EXPECT_EQ(text.find('\n'), std::string::npos);
  json back = json::parse(text);
  EXPECT_EQ(back["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["name"],
            "bad\xEF\xBF\xBD\xEF\xBF\xBD name");
}

TEST(OtlpJsonLogs, EveryRecordFieldAndScopes) {
  std::vector<LogRecord> logs = {make_log(Severity::Warn, "careful", 2, 7),
                                 make_log(Severity::Error, "invalid metric", 1, 8),
                                 make_log(Severity::Debug, "no span", 0, 9)};
  logs[0].attributes = {{"code.lineno", int64_t{12}}};
  logs[1].scope = Scope::Host;
  logs[2].trace_id = {};

  json scopes = encode_logs(service_resource(), logs)["resourceLogs"][0]["scopeLogs"];
  ASSERT_EQ(scopes.size(), 2u);
  EXPECT_EQ(scopes[0]["scope"]["name"], "lantern");
  EXPECT_EQ(scopes[0]["logRecords"][0]["body"]["stringValue"], "invalid metric");
  EXPECT_EQ(scopes[1]["scope"]["name"], "lantern.guest");
  ASSERT_EQ(scopes[1]["logRecords"].size(), 2u);
  EXPECT_EQ(scopes[1]["logRecords"][0], json::parse(R"({
      "timeUnixNano":"1700000000000000007",
      "observedTimeUnixNano":"1700000000000000007",
      "severityNumber":13,
      "severityText":"WARN",
      "body":{"stringValue":"careful"},
      "attributes":[{"key":"code.lineno","value":{"intValue":"12"}}],
      "traceId":"4bf92f3577b34da6a3ce929d0e0e4736",
      "spanId":"00f067aa0ba90202"})"));
  const json& loose = scopes[1]["logRecords"][1];
  EXPECT_EQ(loose["severityNumber"], 5);
  EXPECT_EQ(loose["severityText"], "DEBUG");
  EXPECT_FALSE(loose.contains("traceId"));
  EXPECT_FALSE(loose.contains("spanId"));
  EXPECT_FALSE(loose.contains("attributes"));
}

json metrics_of(const std::vector<MetricPoint>& points) {
  json request = encode_metrics({}, points);
  const json& scope = request["resourceMetrics"][0]["scopeMetrics"];
  EXPECT_EQ(scope.size(), 1u);
  EXPECT_EQ(scope[0]["scope"]["name"], "lantern.guest");
  return scope[0]["metrics"];
}

TEST(OtlpJsonMetrics, CountersAreDeltaMonotonicSumsScaledBySampleRate) {
  MetricPoint hits = make_metric("jobs.done", MetricKind::Counter, 2, 0.5);
  hits.attributes = {{"queue", std::string("fast")}};
  json m = metrics_of({hits});
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0], json::parse(R"({
      "name":"jobs.done",
      "sum":{"aggregationTemporality":1,"isMonotonic":true,
             "dataPoints":[{"attributes":[{"key":"queue","value":{"stringValue":"fast"}}],
                            "timeUnixNano":"1700000000000000000","asDouble":4.0}]}})"));
}

TEST(OtlpJsonMetrics, GaugesKeepTheirValue) {
  json m = metrics_of({make_metric("queue.depth", MetricKind::Gauge, 7, 0.5)});
  EXPECT_EQ(m[0], json::parse(R"({"name":"queue.depth","gauge":{"dataPoints":[
      {"timeUnixNano":"1700000000000000000","asDouble":7.0}]}})"))
      << "a sample rate does not scale a gauge";
}

TEST(OtlpJsonMetrics, TimersAndHistogramsAreOneObservationHistograms) {
  json m = metrics_of({make_metric("step.time", MetricKind::Timer, 12.5, 0.25, "ms"),
                       make_metric("payload.size", MetricKind::Histogram, 300, 0.3)});
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0], json::parse(R"({"name":"step.time","unit":"ms","histogram":{
      "aggregationTemporality":1,
      "dataPoints":[{"timeUnixNano":"1700000000000000000","count":"4","sum":50.0,
                     "bucketCounts":["4"],"explicitBounds":[],"min":12.5,"max":12.5}]}})"));
  const json& point = m[1]["histogram"]["dataPoints"][0];
  EXPECT_EQ(point["count"], "3") << "1/0.3 rounded";
  EXPECT_EQ(point["sum"], 900.0);
  EXPECT_EQ(point["bucketCounts"], json::array({"3"})) << "one bucket holds them all";
  EXPECT_FALSE(m[1].contains("unit"));
}

TEST(OtlpJsonMetrics, NegativeHistogramValuesHaveNoSum) {
  json point = metrics_of(
      {make_metric("delta", MetricKind::Histogram, -2)})[0]["histogram"]["dataPoints"][0];
  EXPECT_FALSE(point.contains("sum")) << "OTLP: no sum when negative values are recorded";
  EXPECT_EQ(point["min"], -2.0);
  EXPECT_EQ(point["count"], "1");
}

TEST(OtlpJsonMetrics, PointsOfOneNameKindAndUnitShareAMetric) {
  json m =
      metrics_of({make_metric("a", MetricKind::Counter, 1), make_metric("b", MetricKind::Gauge, 2),
                  make_metric("a", MetricKind::Counter, 3), make_metric("a", MetricKind::Gauge, 4),
                  make_metric("b", MetricKind::Gauge, 5)});
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0]["name"], "a");
  ASSERT_EQ(m[0]["sum"]["dataPoints"].size(), 2u);
  EXPECT_EQ(m[0]["sum"]["dataPoints"][1]["asDouble"], 3.0);
  EXPECT_EQ(m[1]["name"], "b");
  EXPECT_EQ(m[1]["gauge"]["dataPoints"].size(), 2u);
  EXPECT_EQ(m[2]["name"], "a");
  EXPECT_EQ(m[2]["gauge"]["dataPoints"].size(), 1u);
}

TEST(OtlpJsonMetrics, ExemplarsLinkTheRawMeasurementToItsSpan) {
  MetricPoint hits = make_metric("hits", MetricKind::Counter, 2, 0.5);
  hits.trace_id = trace_id(0x36);
  hits.span_id = span_id(3);
  MetricPoint no_span = make_metric("hits", MetricKind::Counter, 1);
  no_span.trace_id = trace_id(0x36);
  json points = metrics_of({hits, no_span})[0]["sum"]["dataPoints"];
  EXPECT_EQ(points[0]["exemplars"], json::parse(R"([{"timeUnixNano":"1700000000000000000",
      "asDouble":2.0,"spanId":"00f067aa0ba90203","traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}])"));
  EXPECT_FALSE(points[1].contains("exemplars")) << "a trace id alone makes no exemplar";
}

}  // namespace
}  // namespace lantern::exporters
