// Cost of tracing one call: an enter/exit pair through the imported instrument functions and
// through the engine's native call hook, with the 20 us filter (spans dropped) and without
// (every span kept and exported to a sink that discards it); and heap bytes per kept span.
//
//   build/bench/micro/observe_bench --benchmark_repetitions=5
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <string>

#include "lantern/engine/compiler.h"
#include "lantern/engine/host.h"
#include "lantern/engine/linker.h"
#include "lantern/engine/store.h"
#include "lantern/observe/collector.h"
#include "lantern/observe/function_tracer.h"
#include "lantern/observe/host_modules.h"
#include "support/test_support.h"

namespace {

using namespace lantern;

class NullSink final : public observe::TelemetrySink {
 public:
  void export_spans(const observe::Resource&, std::span<const observe::Span> s) override {
    benchmark::DoNotOptimize(s.data());
  }
  void export_logs(const observe::Resource&, std::span<const observe::LogRecord>) override {}
  void export_metrics(const observe::Resource&, std::span<const observe::MetricPoint>) override {}
};

// $run(n) calls $leaf n times; with `traced`, each call is wrapped as the instrumentation
// compiler wraps call sites.
std::string loop_module(bool traced) {
  std::string call = traced ? "(call $enter (i32.const 2)) (call $leaf) (call $exit (i32.const 2))"
                            : "(call $leaf)";
  return R"((module
    (import "dylibso:observe/instrument" "enter" (func $enter (param i32)))
    (import "dylibso:observe/instrument" "exit" (func $exit (param i32)))
    (func $leaf)
    (func (export "run") (param $n i32)
      (loop $l )" +
         call + R"(
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
  )";
}

constexpr int32_t kCalls = 100000;

void run_loop(benchmark::State& state, bool traced, bool native, uint64_t min_ns,
              bool collect = true) {
  NullSink sink;
  observe::CollectorOptions options;
  options.min_span_duration_ns = min_ns;
  options.max_spans = ~0ull;
  observe::Collector collector(sink, options);
  engine::Store store;
  engine::Linker linker;
  observe::define_observe(store, linker, traced && collect ? &collector : nullptr);
  observe::FunctionTracer tracer(collector, {"func[2]", "leaf"});
  if (native) store.set_listener(&tracer);
  auto compiled = engine::load_module(testing::wat_to_wasm(loop_module(traced)));
  auto instance = linker.instantiate(store, *compiled);
  engine::FuncInst* run = (*instance)->find_function("run");
  std::vector<engine::Value> args = {engine::Value::i32(kCalls)};
  for (auto _ : state) {
    auto r = store.invoke(*run, args);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * kCalls);
  state.counters["ns_per_call"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kCalls,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_Untraced(benchmark::State& s) { run_loop(s, false, false, 0); }
void BM_ImportPair_NoCollector(benchmark::State& s) { run_loop(s, true, false, 0, false); }
BENCHMARK(BM_ImportPair_NoCollector);
void BM_ImportPair_Filter20us(benchmark::State& s) { run_loop(s, true, false, 20'000); }
void BM_ImportPair_KeepAll(benchmark::State& s) { run_loop(s, true, false, 0); }
void BM_NativePair_Filter20us(benchmark::State& s) { run_loop(s, false, true, 20'000); }
void BM_NativePair_KeepAll(benchmark::State& s) { run_loop(s, false, true, 0); }
BENCHMARK(BM_Untraced);
BENCHMARK(BM_ImportPair_Filter20us);
BENCHMARK(BM_ImportPair_KeepAll);
BENCHMARK(BM_NativePair_Filter20us);
BENCHMARK(BM_NativePair_KeepAll);

// Heap held per kept span before its batch is exported: the heap growth of a run that keeps
// 100000 spans minus that of a run keeping one (same store, module and collector set-up).
size_t heap_after_keeping(int32_t spans) {
  size_t before = mallinfo2().uordblks + mallinfo2().hblkhd;
  NullSink sink;
  observe::CollectorOptions options;
  options.min_span_duration_ns = 0;
  options.batch_size = kCalls + 16;  // nothing is exported while we measure
  observe::Collector collector(sink, options);
  engine::Store store;
  engine::Linker linker;
  observe::define_observe(store, linker, &collector);
  auto compiled = engine::load_module(testing::wat_to_wasm(loop_module(true)));
  auto instance = linker.instantiate(store, *compiled);
  engine::FuncInst* run = (*instance)->find_function("run");
  std::vector<engine::Value> args = {engine::Value::i32(spans)};
  auto r = store.invoke(*run, args);
  benchmark::DoNotOptimize(r);
  return mallinfo2().uordblks + mallinfo2().hblkhd - before;
}

void BM_BytesPerKeptSpan(benchmark::State& state) {
  for (auto _ : state) {
    double grown = static_cast<double>(heap_after_keeping(kCalls)) - heap_after_keeping(1);
    state.counters["bytes_per_kept_span"] = grown / (kCalls - 1);
  }
}
BENCHMARK(BM_BytesPerKeptSpan)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
