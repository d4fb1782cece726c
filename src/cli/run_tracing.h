// Tracing for `lantern run`: the trace options, the sinks they select, and the host spans of one
// execution (lantern.execution > compile, instantiate, wasm.call <entrypoint>) with the guest's
// spans under the call span.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lantern/engine/store.h"
#include "lantern/engine/trap.h"
#include "lantern/exporters/file_sink.h"
#include "lantern/observe/collector.h"
#include "lantern/observe/function_tracer.h"
#include "lantern/observe/sink.h"
#include "lantern/util/expected.h"

namespace lantern::cli {

struct TraceOptions {
  bool console = false;          // --trace-console (or OTEL_TRACES_EXPORTER=console)
  std::string file;              // --trace-file: OTLP/JSON lines
  std::string traceparent;       // --traceparent (else $TRACEPARENT)
  bool trace_functions = false;  // --trace-functions[=GLOB,...]
  std::vector<std::string> function_globs;
  std::string min_span_duration = "20us";
  uint64_t max_spans = 1'000'000;
};

void add_trace_options(CLI::App& cmd, TraceOptions& options);

// One traced execution. Absent (null from create) when no output is configured.
class ExecutionTrace {
 public:
  // Errors name the offending option or variable.
  static Expected<std::unique_ptr<ExecutionTrace>> create(const TraceOptions& options,
                                                          const std::string& entrypoint);
  ~ExecutionTrace();

  observe::Collector& collector() { return *collector_; }
  // Starts lantern.execution; warnings (a malformed TRACEPARENT, sampler settings) go to stderr.
  void begin_execution(const std::string& module_path, std::span<const uint8_t> module_bytes);
  void begin_phase(const std::string& name);  // compile, instantiate
  void end_phase(const Error* error = nullptr);
  // The guest's TRACEPARENT (and TRACESTATE) entries, pointing at the call span-to-be.
  std::vector<std::string> guest_environment() const;
  void begin_call();
  // Ends the call span: a trap closes the guest frames with the error; `exit_code` is recorded.
  void end_call(const engine::Trap* trap, std::optional<int32_t> exit_code);
  // Ends lantern.execution with the counts and exports everything.
  void finish(int exit_code);
  // Installs the engine-native function tracer when --trace-functions was given.
  void attach(engine::Store& store);

 private:
  ExecutionTrace() = default;

  TraceOptions options_;
  std::string entrypoint_;
  std::vector<std::unique_ptr<observe::TelemetrySink>> sinks_;
  std::unique_ptr<observe::TelemetrySink> fan_out_;
  exporters::OtlpJsonFileSink* file_sink_ = nullptr;  // one of sinks_, for its write errors
  std::unique_ptr<observe::Collector> collector_;
  std::unique_ptr<observe::FunctionTracer> function_tracer_;
  observe::SpanId execution_span_;
  observe::SpanId phase_span_;
  observe::SpanId call_span_;
  bool call_open_ = false;
  observe::Attributes execution_attributes_;
};

}  // namespace lantern::cli
