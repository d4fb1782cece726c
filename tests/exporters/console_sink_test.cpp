#include "lantern/exporters/console_sink.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "exporters/fixtures.h"

namespace lantern::exporters {
namespace {

using namespace observe;
using namespace exporters::testing;

SpanEvent log_event(const char* severity, const char* message, uint64_t time) {
  return {"log",
          kT0 + time,
          {{"log.severity", std::string(severity)}, {"log.message", std::string(message)}}};
}

MetricPoint delta(MetricPoint m) {
  m.attributes = {{"statsd.delta", true}};
  return m;
}

// Feeds the sink the way the collector does: children before parents, over several batches.
void feed_small_job(ConsoleTreeSink& sink) {
  Span exec = make_span(1, 0, "lantern.execution", Scope::Host, 0, 3'112'000);
  exec.attributes = {{"wasm.module.name", std::string("job.wasm")}};
  Span call = make_span(2, 1, "wasm.call _start", Scope::Host, 100'000, 2'971'000);
  Span main = make_span(3, 2, "main", Scope::Guest, 150'000, 2'952'000);
  main.events = {
      log_event("INFO", "starting", 160'000),
      {"memory.grow",
       kT0 + 200'000,
       {{"wasm.memory.grow.pages", int64_t{2}}, {"wasm.memory.grow.bytes", int64_t{131072}}}},
      log_event("WARN", "retrying", 800'000),
      log_event("DEBUG", "event only", 950'000)};
  Span parse = make_span(4, 3, "parse", Scope::Guest, 300'000, 712'500);
  parse.attributes = {{"input", std::string("a b")}};
  parse.events = {{"exception", kT0 + 712'000, {{"exception.message", std::string("bad input")}}}};
  parse.status = StatusCode::Error;
  parse.status_message = "bad input";
  Span quick = make_span(5, 3, "short", Scope::Guest, 900'000, 900'850);
  Span callback = make_span(7, 9, "callback", Scope::Guest, 4'000'000, 5'234'567);
  Span other = make_span(1, 0, "other", Scope::Host, 3'500'000, 3'501'000);
  other.trace_id = trace_id(0x37);

  std::vector<Span> first = {parse, quick}, second = {main, call}, third = {exec, callback, other};
  sink.export_spans({}, first);
  std::vector<LogRecord> logs = {make_log(Severity::Info, "starting", 3, 160'000),
                                 make_log(Severity::Warn, "retrying", 3, 800'000),
                                 make_log(Severity::Error, "late failure", 0, 6'000'000)};
  sink.export_logs({}, logs);
  sink.export_spans({}, second);
  sink.export_spans({}, third);
  std::vector<MetricPoint> metrics = {make_metric("jobs.done", MetricKind::Counter, 1, 0.5),
                                      make_metric("queue.depth", MetricKind::Gauge, 5),
                                      make_metric("step.time", MetricKind::Timer, 12.5, 0.25, "ms"),
                                      make_metric("jobs.done", MetricKind::Counter, 1),
                                      delta(make_metric("queue.depth", MetricKind::Gauge, 2)),
                                      make_metric("step.time", MetricKind::Timer, 2.5, 1, "ms")};
  sink.export_metrics({}, metrics);
}

const char* const kSmallJobTree =
    "trace 4bf92f3577b34da6a3ce929d0e0e4736\n"
    "  lantern.execution  3.112 ms  wasm.module.name=job.wasm\n"
    "    wasm.call _start  2.871 ms\n"
    "      main  2.802 ms\n"
    "        [INFO] starting\n"
    "        • memory.grow wasm.memory.grow.pages=2 wasm.memory.grow.bytes=131072\n"
    "        parse  412.500 µs  input=\"a b\"  ✗ ERROR: bad input\n"
    "          • exception exception.message=\"bad input\"\n"
    "        [WARN] retrying\n"
    "        short  850 ns\n"
    "        [DEBUG] event only\n"
    "  callback  1.235 ms  (parent 00f067aa0ba90209)\n"
    "trace 4bf92f3577b34da6a3ce929d0e0e4737\n"
    "  other  1.000 µs\n"
    "logs without a span\n"
    "  [ERROR] late failure\n"
    "metrics\n"
    "  jobs.done    counter    count=2  sum=3\n"
    "  queue.depth  gauge      count=2  last=7\n"
    "  step.time    timer      count=5  sum=52.5 ms  min=2.5 ms  max=12.5 ms\n";

TEST(ConsoleTreeSink, PrintsEachTraceAsATreeInTimeOrder) {
  ConsoleTreeSink sink(nullptr);
  feed_small_job(sink);
  EXPECT_EQ(sink.render(), kSmallJobTree);
}

TEST(ConsoleTreeSink, FlushPrintsOnceAndForgets) {
  FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ConsoleTreeSink sink(out);
  feed_small_job(sink);
  sink.flush();
  sink.flush();  // nothing left: prints nothing
  std::rewind(out);
  std::string text;
  char buffer[512];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, out)) > 0;) text.append(buffer, n);
  std::fclose(out);
  EXPECT_EQ(text, kSmallJobTree);
  EXPECT_EQ(sink.render(), "");
}

TEST(ConsoleTreeSink, GuestTextCannotDriveTheTerminal) {
  ConsoleTreeSink sink(nullptr);
  Span s = make_span(1, 0, "red\x1b[31m\tname", Scope::Guest, 0, 10);
  s.attributes = {{"empty", std::string()}, {"quote", std::string("say \"hi\"\n")}};
  sink.export_spans({}, std::span(&s, 1));
  LogRecord l = make_log(Severity::Info, "two\nlines\r", 1, 5);
  sink.export_logs({}, std::span(&l, 1));
  EXPECT_EQ(sink.render(),
            "trace 4bf92f3577b34da6a3ce929d0e0e4736\n"
            "  red\\x1b[31m\\tname  10 ns  empty=\"\" quote=\"say \\\"hi\\\"\\n\"\n"
            "    [INFO] two\\nlines\\x0d\n");
}

TEST(ConsoleTreeSink, DurationsPickTheirUnit) {
  EXPECT_EQ(format_duration(0), "0 ns");
  EXPECT_EQ(format_duration(999), "999 ns");
  EXPECT_EQ(format_duration(1'000), "1.000 µs");
  EXPECT_EQ(format_duration(12'345), "12.345 µs");
  EXPECT_EQ(format_duration(999'999), "999.999 µs");
  EXPECT_EQ(format_duration(1'000'000), "1.000 ms");
  EXPECT_EQ(format_duration(1'234'567), "1.235 ms");
  EXPECT_EQ(format_duration(999'999'499), "999.999 ms");
  EXPECT_EQ(format_duration(999'999'500), "1.000 s") << "never 1000.000 ms";
  EXPECT_EQ(format_duration(83'250'000'000), "83.250 s");
}

TEST(ConsoleTreeSink, EndBeforeStartIsZeroAndNothingPrintsNothing) {
  ConsoleTreeSink sink(nullptr);
  EXPECT_EQ(sink.render(), "");
  Span s = make_span(1, 0, "odd", Scope::Guest, 10, 5);
  sink.export_spans({}, std::span(&s, 1));
  EXPECT_EQ(sink.render(), "trace 4bf92f3577b34da6a3ce929d0e0e4736\n  odd  0 ns\n");
}

TEST(ConsoleTreeSink, DeepNestingKeepsLinesShortAndTheStackSafe) {
  // A traced recursion 100,000 deep (the collector's max_depth), ids 1..n as 64-bit numbers.
  constexpr uint64_t kDepth = 100'000;
  std::vector<Span> spans;
  for (uint64_t i = kDepth; i >= 1; --i) {  // children first, as the collector sends them
    Span s = make_span(0, 0, "f", Scope::Guest, i, 2 * kDepth - i);
    for (int b = 0; b < 8; ++b) {
      s.span_id.bytes[7 - b] = static_cast<uint8_t>(i >> (8 * b));
      s.parent_span_id.bytes[7 - b] = static_cast<uint8_t>((i - 1) >> (8 * b));
    }
    spans.push_back(std::move(s));
  }
  ConsoleTreeSink sink(nullptr);
  sink.export_spans({}, spans);
  std::string text = sink.render();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), static_cast<long>(kDepth + 1));
  EXPECT_NE(text.find("\n" + std::string(80, ' ') + "f  "), std::string::npos) << "depth 40";
  EXPECT_NE(text.find("\n" + std::string(80, ' ') + "[41] f  "), std::string::npos);
  EXPECT_NE(text.find("\n" + std::string(80, ' ') + "[100000] f  0 ns\n"), std::string::npos);
}

TEST(ConsoleTreeSink, ARepeatedSpanIdIsPrintedOnceNotForever) {
  std::vector<Span> spans = {make_span(1, 0, "a", Scope::Guest, 0, 10),
                             make_span(1, 1, "same id", Scope::Guest, 1, 2)};
  ConsoleTreeSink sink(nullptr);
  sink.export_spans({}, spans);
  EXPECT_EQ(sink.render(),
            "trace 4bf92f3577b34da6a3ce929d0e0e4736\n"
            "  a  10 ns\n"
            "    same id  1 ns\n");
}

}  // namespace
}  // namespace lantern::exporters
