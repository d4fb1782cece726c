#include "lantern/exporters/otlp_json.h"

#include <gtest/gtest.h>

#include <fstream>

#include "lantern/exporters/console_sink.h"
#include "lantern/exporters/file_sink.h"
#include "support/test_support.h"

namespace lantern::exporters {
namespace {

using namespace observe;
using nlohmann::json;

Span span(uint8_t id, uint8_t parent, std::string name, Scope scope, uint64_t start,
          uint64_t end) {
  Span s;
  s.trace_id.bytes[15] = 0xab;
  s.span_id.bytes[7] = id;
  s.parent_span_id.bytes[7] = parent;
  s.name = std::move(name);
  s.scope = scope;
  s.start_unix_ns = start;
  s.end_unix_ns = end;
  return s;
}

TEST(OtlpJson, TracesFollowTheJsonMapping) {
  Resource resource{{{"service.name", std::string("lantern")}, {"process.pid", int64_t{42}}}};
  std::vector<Span> spans = {span(1, 0, "lantern.execution", Scope::Host, 1000, 9000),
                             span(2, 1, "work", Scope::Guest, 2000, 3000)};
  spans[1].attributes = {{"n", int64_t{5}}, {"ratio", 0.5}, {"ok", true}};
  spans[1].events.push_back({"exception", 2500, {{"exception.message", std::string("boom")}}});
  spans[1].status = StatusCode::Error;
  spans[1].status_message = "boom";
  spans[0].trace_state = "k=v";
  json j = encode_traces(resource, spans);
  const json& rs = j["resourceSpans"][0];
  EXPECT_EQ(rs["resource"]["attributes"][1]["value"]["intValue"], "42");
  ASSERT_EQ(rs["scopeSpans"].size(), 2u);
  EXPECT_EQ(rs["scopeSpans"][0]["scope"]["name"], "lantern");
  EXPECT_EQ(rs["scopeSpans"][1]["scope"]["name"], "lantern.guest");
  const json& root = rs["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(root["traceId"], "000000000000000000000000000000ab");
  EXPECT_EQ(root["spanId"], "0000000000000001");
  EXPECT_FALSE(root.contains("parentSpanId"));
  EXPECT_EQ(root["traceState"], "k=v");
  EXPECT_EQ(root["startTimeUnixNano"], "1000");
  EXPECT_EQ(root["kind"], 1);
  EXPECT_EQ(root["status"], json::object());
  const json& work = rs["scopeSpans"][1]["spans"][0];
  EXPECT_EQ(work["parentSpanId"], "0000000000000001");
  EXPECT_EQ(work["attributes"][0]["value"]["intValue"], "5");
  EXPECT_EQ(work["attributes"][1]["value"]["doubleValue"], 0.5);
  EXPECT_EQ(work["attributes"][2]["value"]["boolValue"], true);
  EXPECT_EQ(work["events"][0]["timeUnixNano"], "2500");
  EXPECT_EQ(work["status"]["code"], 2);
  EXPECT_EQ(work["status"]["message"], "boom");
}

TEST(OtlpJson, LogsAndMetrics) {
  LogRecord log;
  log.time_unix_ns = 7;
  log.severity = Severity::Warn;
  log.body = "careful";
  log.trace_id.bytes[0] = 1;
  log.span_id.bytes[0] = 2;
  json logs = encode_logs({}, std::span(&log, 1));
  const json& record = logs["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0];
  EXPECT_EQ(record["severityNumber"], 13);
  EXPECT_EQ(record["severityText"], "WARN");
  EXPECT_EQ(record["body"]["stringValue"], "careful");
  EXPECT_EQ(record["spanId"], "0200000000000000");

  std::vector<MetricPoint> points(3);
  points[0] = {"hits", MetricKind::Counter, 2, 0.5};
  points[1] = {"depth", MetricKind::Gauge, 7};
  points[2] = {"step", MetricKind::Timer, 12.5, 0.25, "ms"};
  json m = encode_metrics({}, points)["resourceMetrics"][0]["scopeMetrics"][0]["metrics"];
  EXPECT_EQ(m[0]["sum"]["dataPoints"][0]["asDouble"], 4.0) << "scaled by 1/rate";
  EXPECT_EQ(m[0]["sum"]["isMonotonic"], true);
  EXPECT_EQ(m[0]["sum"]["aggregationTemporality"], 1);
  EXPECT_EQ(m[1]["gauge"]["dataPoints"][0]["asDouble"], 7.0);
  EXPECT_EQ(m[2]["unit"], "ms");
  EXPECT_EQ(m[2]["histogram"]["dataPoints"][0]["count"], "4");
  EXPECT_EQ(m[2]["histogram"]["dataPoints"][0]["sum"], 50.0);
}

TEST(FileSink, WritesJsonLinesAndNamesBadPaths) {
  std::string path = testing::temp_dir() + "/out.jsonl";
  {
    auto sink = OtlpJsonFileSink::open(path);
    ASSERT_TRUE(sink);
    Span s = span(1, 0, "a", Scope::Guest, 1, 2);
    (*sink)->export_spans({}, std::span(&s, 1));
    (*sink)->export_logs({}, {});  // empty batches write nothing
    (*sink)->export_spans({}, std::span(&s, 1));
  }
  std::ifstream in(path);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    EXPECT_EQ(json::parse(line)["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["name"], "a");
    ++lines;
  }
  EXPECT_EQ(lines, 2);
  auto bad = OtlpJsonFileSink::open("/nonexistent-dir/x.jsonl");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("/nonexistent-dir/x.jsonl"), std::string::npos);
}

TEST(ConsoleSink, PrintsATreeWithEventsLogsErrorsAndOrphans) {
  ConsoleTreeSink sink(nullptr);
  std::vector<Span> spans = {span(3, 2, "inner", Scope::Guest, 3000, 3500),
                             span(2, 1, "outer", Scope::Guest, 2000, 1'502'000),
                             span(1, 0, "root", Scope::Host, 1000, 2'001'000),
                             span(5, 9, "orphan", Scope::Guest, 4000, 5000)};
  spans[0].status = StatusCode::Error;
  spans[0].status_message = "boom";
  spans[1].attributes = {{"k", std::string("v")}};
  spans[1].events.push_back({"memory.grow", 2100, {{"wasm.memory.grow.pages", int64_t{2}}}});
  sink.export_spans({}, spans);
  LogRecord log;
  log.body = "hello";
  log.span_id = spans[1].span_id;
  sink.export_logs({}, std::span(&log, 1));
  MetricPoint metric{"hits", MetricKind::Counter, 3};
  sink.export_metrics({}, std::span(&metric, 1));
  EXPECT_EQ(sink.render(),
            "trace 000000000000000000000000000000ab\n"
            "  root  2.00 ms\n"
            "    outer  1.50 ms k=v\n"
            "      • memory.grow wasm.memory.grow.pages=2\n"
            "      [INFO] hello\n"
            "      inner  500 ns  ✗ ERROR: boom\n"
            "trace 000000000000000000000000000000ab\n"
            "  orphan  1.0 µs\n"
            "metrics\n"
            "  hits counter count=1 sum=3 last=3\n");
}

}  // namespace
}  // namespace lantern::exporters
