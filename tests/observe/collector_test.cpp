// The collector through the guest API: small WAT guests call the Observe imports and a sink
// records what comes out.
#include "lantern/observe/collector.h"

#include <gtest/gtest.h>

#include "lantern/engine/compiler.h"
#include "lantern/engine/linker.h"
#include "lantern/observe/host_modules.h"
#include "support/test_support.h"

namespace lantern::testing {
namespace {

using namespace observe;

struct RecordingSink final : TelemetrySink {
  std::vector<Span> spans;
  std::vector<LogRecord> logs;
  std::vector<MetricPoint> metrics;
  int span_batches = 0;
  bool flushed = false;
  void export_spans(const Resource&, std::span<const Span> s) override {
    spans.insert(spans.end(), s.begin(), s.end());
    ++span_batches;
  }
  void export_logs(const Resource&, std::span<const LogRecord> l) override {
    logs.insert(logs.end(), l.begin(), l.end());
  }
  void export_metrics(const Resource&, std::span<const MetricPoint> m) override {
    metrics.insert(metrics.end(), m.begin(), m.end());
  }
  void flush() override { flushed = true; }
  const Span* find(const std::string& name) const {
    for (const Span& s : spans)
      if (s.name == name) return &s;
    return nullptr;
  }
};

// Imports of both namespaces; $f (index 9) and $g (10) are "instrumented" by hand; data at 0 holds
// span names.
const char* kGuest = R"((module
  (import "dylibso:observe/instrument" "enter" (func $enter (param i32)))
  (import "dylibso:observe/instrument" "exit" (func $exit (param i32)))
  (import "dylibso:observe/instrument" "memory-grow" (func $grow (param i32)))
  (import "dylibso:observe/api" "span-enter" (func $span_enter (param i32 i32)))
  (import "dylibso:observe/api" "span-exit" (func $span_exit))
  (import "dylibso:observe/api" "span-tags" (func $span_tags (param i32 i32)))
  (import "dylibso:observe/api" "log" (func $log (param i32 i32 i32)))
  (import "dylibso:observe/api" "metric" (func $metric (param i32 i32 i32)))
  (import "dylibso_observe" "span_enter" (func $legacy_enter (param i64 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "manualk:v,k2:v2hellocount:2|c")
  (func $f (export "f") (call $enter (i32.const 9)) (call $exit (i32.const 9)))
  (func $g (export "g") (call $enter (i32.const 10)) (call $f) (call $grow (i32.const 2))
    (call $exit (i32.const 10)))
  ;; a manual span whose span-enter call is wrapped by enter/exit of the import (index 3), as
  ;; the instrumentation compiler does: that exit must not pop the manual span
  (func (export "wrapped_manual")
    (call $enter (i32.const 3)) (call $span_enter (i32.const 0) (i32.const 6))
    (call $exit (i32.const 3))
    (call $span_tags (i32.const 6) (i32.const 9))
    (call $log (i32.const 2) (i32.const 15) (i32.const 5))
    (call $metric (i32.const 1) (i32.const 20) (i32.const 9))
    (call $span_exit))
  (func (export "unbalanced") (call $exit (i32.const 9)) (call $span_exit)
    (call $enter (i32.const 10)) (call $enter (i32.const 9)) (call $exit (i32.const 10)))
  (func (export "wild")
    (call $span_enter (i32.const 65530) (i32.const 100))
    (call $span_tags (i32.const -1) (i32.const 4))
    (call $legacy_enter (i64.const 0x100000000) (i32.const 1))
    (call $span_exit) (call $span_exit)
    (call $enter (i32.const 999999)))
  (func (export "open_and_trap") (call $enter (i32.const 9))
    (call $span_enter (i32.const 0) (i32.const 6)) (unreachable))
  ;; helpers around the manual API, instrumented like every other function (indexes 15, 16):
  ;; the manual span opened inside $helper_enter outlives it
  (func $helper_enter (call $enter (i32.const 15)) (call $span_enter (i32.const 0) (i32.const 6))
    (call $exit (i32.const 15)))
  (func $helper_exit (call $enter (i32.const 16)) (call $span_exit) (call $exit (i32.const 16)))
  (func (export "helpers") (call $helper_enter) (call $f) (call $helper_exit))
)
)";

struct Harness {
  explicit Harness(CollectorOptions options = {}) : collector(sink, std::move(options)) {
    define_observe(store, linker, &collector);
    auto compiled = engine::load_module(wat_to_wasm(kGuest));
    EXPECT_TRUE(compiled);
    auto inst = linker.instantiate(store, *compiled);
    EXPECT_TRUE(inst);
    instance = *inst;
  }
  Expected<std::vector<engine::Value>, engine::Trap> call(const std::string& name) {
    return store.invoke(*instance->find_function(name), {});
  }
  RecordingSink sink;
  Collector collector;
  engine::Store store;
  engine::Linker linker;
  engine::Instance* instance = nullptr;
};

CollectorOptions keep_all() {
  CollectorOptions o;
  o.min_span_duration_ns = 0;
  return o;
}

TEST(Collector, FunctionSpansNestUnderTheHostSpan) {
  Harness h(keep_all());
  SpanId call = h.collector.begin_host_span("wasm.call g");
  ASSERT_TRUE(h.call("g"));
  h.collector.end_host_span(call);
  h.collector.finish();
  ASSERT_EQ(h.sink.spans.size(), 3u);
  const Span* g = h.sink.find("g");
  const Span* f = h.sink.find("f");
  const Span* host = h.sink.find("wasm.call g");
  ASSERT_TRUE(g && f && host);
  EXPECT_EQ(f->parent_span_id, g->span_id);
  EXPECT_EQ(g->parent_span_id, host->span_id);
  EXPECT_FALSE(host->parent_span_id.valid());
  EXPECT_EQ(f->trace_id, host->trace_id);
  EXPECT_EQ(host->scope, Scope::Host);
  EXPECT_EQ(f->scope, Scope::Guest);
  EXPECT_LE(g->start_unix_ns, f->start_unix_ns);
  EXPECT_GE(g->end_unix_ns, f->end_unix_ns);
  EXPECT_TRUE(h.sink.flushed);
  ASSERT_EQ(g->events.size(), 1u);
  EXPECT_EQ(g->events[0].name, "memory.grow");
}

TEST(Collector, ShortEmptySpansAreDroppedAndTheirMemoryGrowthMovesUp) {
  CollectorOptions options;
  options.min_span_duration_ns = 60'000'000'000;  // a minute: short whatever the machine's load
  Harness h(options);
  SpanId call = h.collector.begin_host_span("call");
  ASSERT_TRUE(h.call("g"));
  h.collector.end_host_span(call);
  h.collector.finish();
  ASSERT_EQ(h.sink.spans.size(), 1u);
  EXPECT_EQ(h.collector.counters().spans_dropped_filter, 2u);
  const Span& host = h.sink.spans[0];
  ASSERT_EQ(host.events.size(), 1u) << "g's memory.grow moved to the nearest kept ancestor";
  EXPECT_EQ(host.events[0].name, "memory.grow");
}

TEST(Collector, CompilerExitAroundSpanEnterDoesNotPopTheManualSpan) {
  Harness h;
  SpanId call = h.collector.begin_host_span("call");
  ASSERT_TRUE(h.call("wrapped_manual"));
  h.collector.end_host_span(call);
  h.collector.finish();
  const Span* manual = h.sink.find("manual");
  ASSERT_NE(manual, nullptr) << "kept despite being short: it has tags, a log and a metric";
  EXPECT_EQ(manual->attributes,
            (Attributes{{"k", std::string("v")}, {"k2", std::string("v2")}}));
  EXPECT_EQ(h.collector.counters().unbalanced_exits, 0u);
  ASSERT_EQ(h.sink.logs.size(), 1u);
  EXPECT_EQ(h.sink.logs[0].body, "hello");
  EXPECT_EQ(h.sink.logs[0].severity, Severity::Warn);
  EXPECT_EQ(h.sink.logs[0].span_id, manual->span_id);
  ASSERT_EQ(h.sink.metrics.size(), 1u);
  EXPECT_EQ(h.sink.metrics[0].name, "count");
  EXPECT_EQ(h.sink.metrics[0].span_id, manual->span_id);
  EXPECT_EQ(h.sink.spans.size(), 2u) << "no span for the span-enter import itself";
}

TEST(Collector, ManualSpansOpenedInHelperFunctionsOutliveThem) {
  Harness h(keep_all());
  SpanId call = h.collector.begin_host_span("call");
  ASSERT_TRUE(h.call("helpers"));
  h.collector.end_host_span(call);
  h.collector.finish();
  EXPECT_EQ(h.collector.counters().unbalanced_exits, 0u);
  const Span* manual = h.sink.find("manual");
  const Span* f = h.sink.find("f");
  ASSERT_TRUE(manual && f);
  EXPECT_EQ(f->parent_span_id, manual->span_id) << "f ran inside the manual span";
  EXPECT_EQ(manual->parent_span_id, call) << "the helper that opened it has ended";
  EXPECT_NE(h.sink.find("helper_enter"), nullptr);
}

TEST(Collector, UnbalancedExitsAreCountedNeverFatal) {
  Harness h(keep_all());
  SpanId call = h.collector.begin_host_span("call");
  ASSERT_TRUE(h.call("unbalanced"));
  h.collector.end_host_span(call);
  h.collector.finish();
  // exit(9) and span-exit with nothing open: 2; exit(10) over the open f: 1 skipped frame.
  EXPECT_EQ(h.collector.counters().unbalanced_exits, 3u);
  const Span* g = h.sink.find("g");
  const Span* f = h.sink.find("f");
  ASSERT_TRUE(g && f) << "frames closed out of order are still exported";
  EXPECT_EQ(f->parent_span_id, g->span_id);
}

TEST(Collector, WildPointersAndIndexesAreCounted) {
  Harness h(keep_all());
  SpanId call = h.collector.begin_host_span("call");
  ASSERT_TRUE(h.call("wild"));
  h.collector.end_host_span(call);
  h.collector.finish();
  EXPECT_EQ(h.collector.counters().invalid_calls, 4u);
  EXPECT_EQ(h.collector.counters().unbalanced_exits, 0u) << "invalid names still open spans";
  EXPECT_NE(h.sink.find("(invalid span name)"), nullptr);
}

TEST(Collector, ATrapClosesOpenFramesWithTheError) {
  Harness h;
  SpanId call = h.collector.begin_host_span("call");
  auto result = h.call("open_and_trap");
  ASSERT_FALSE(result);
  h.collector.close_guest_frames(&result.error());
  h.collector.end_host_span(call, {}, StatusCode::Error, result.error().message);
  h.collector.finish();
  const Span* manual = h.sink.find("manual");
  const Span* f = h.sink.find("f");
  ASSERT_TRUE(manual && f) << "error spans are kept, and so are their parents";
  EXPECT_EQ(manual->status, StatusCode::Error);
  EXPECT_EQ(manual->status_message, "unreachable");
  ASSERT_FALSE(manual->events.empty());
  EXPECT_EQ(manual->events.back().name, "exception");
  EXPECT_EQ(manual->parent_span_id, f->span_id);
  EXPECT_EQ(f->status, StatusCode::Unset);
}

TEST(Collector, StreamsBatchesAndCapsSpans) {
  CollectorOptions options = keep_all();
  options.batch_size = 4;
  options.max_spans = 10;
  Harness h(options);
  SpanId call = h.collector.begin_host_span("call");
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(h.call("f"));
  EXPECT_GE(h.sink.span_batches, 2) << "exported while running, not at the end";
  h.collector.end_host_span(call);
  h.collector.finish();
  EXPECT_EQ(h.collector.counters().spans_recorded, 11u);  // 10 guest spans + the host span
  EXPECT_EQ(h.collector.counters().spans_dropped_limit, 10u);
  EXPECT_EQ(h.sink.spans.size(), 11u);
}

TEST(Collector, UnsampledExecutionsRecordNoSpansButKeepLogs) {
  Harness h(keep_all());
  h.collector.set_sampled(false);
  SpanId call = h.collector.begin_host_span("call");
  ASSERT_TRUE(h.call("wrapped_manual"));
  h.collector.end_host_span(call);
  h.collector.finish();
  EXPECT_TRUE(h.sink.spans.empty());
  EXPECT_EQ(h.sink.logs.size(), 1u);
  EXPECT_FALSE(h.collector.current_context().sampled);
}

// Two modules linked in one execution report into the same collector, each with its own names.
TEST(Collector, SeveralLinkedModulesShareOneCollector) {
  RecordingSink sink;
  CollectorOptions options = keep_all();
  Collector collector(sink, options);
  engine::Store store;
  engine::Linker linker;
  define_observe(store, linker, &collector);
  auto a = engine::load_module(wat_to_wasm(R"((module
    (import "dylibso:observe/instrument" "enter" (func $enter (param i32)))
    (import "dylibso:observe/instrument" "exit" (func $exit (param i32)))
    (func $a_work (export "work") (call $enter (i32.const 2)) (call $exit (i32.const 2)))))"));
  ASSERT_TRUE(a);
  auto a_instance = linker.instantiate(store, *a);
  ASSERT_TRUE(a_instance);
  linker.define_instance("a", **a_instance);
  auto b = engine::load_module(wat_to_wasm(R"((module
    (import "dylibso:observe/instrument" "enter" (func $enter (param i32)))
    (import "dylibso:observe/instrument" "exit" (func $exit (param i32)))
    (import "a" "work" (func $work))
    (func $b_main (export "main") (call $enter (i32.const 3)) (call $work)
      (call $exit (i32.const 3)))))"));
  ASSERT_TRUE(b);
  auto b_instance = linker.instantiate(store, *b);
  ASSERT_TRUE(b_instance);
  SpanId call = collector.begin_host_span("call");
  ASSERT_TRUE(store.invoke(*(*b_instance)->find_function("main"), {}));
  collector.end_host_span(call);
  collector.finish();
  const Span* main = nullptr;
  const Span* work = nullptr;
  for (const Span& s : sink.spans) {
    if (s.name == "b_main") main = &s;
    if (s.name == "a_work") work = &s;
  }
  ASSERT_TRUE(main && work);
  EXPECT_EQ(work->parent_span_id, main->span_id);
  EXPECT_EQ(main->parent_span_id, call);
}

TEST(Collector, RemoteParentSetsTheTrace) {
  RecordingSink sink;
  Collector c(sink, {});
  SpanContext parent;
  parent.trace_id.bytes[15] = 7;
  parent.span_id.bytes[7] = 9;
  SpanId root = c.begin_host_span("lantern.execution", parent);
  c.end_host_span(root);
  c.finish();
  ASSERT_EQ(sink.spans.size(), 1u);
  EXPECT_EQ(sink.spans[0].trace_id, parent.trace_id);
  EXPECT_EQ(sink.spans[0].parent_span_id, parent.span_id);
  EXPECT_EQ(sink.spans[0].span_id, root);
}

}  // namespace
}  // namespace lantern::testing
