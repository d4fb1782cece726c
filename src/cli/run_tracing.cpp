#include "cli/run_tracing.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/run_options.h"
#include "lantern/exporters/console_sink.h"
#include "lantern/exporters/file_sink.h"
#include "lantern/observe/sampler.h"
#include "lantern/observe/trace_context.h"
#include "lantern/util/sha256.h"

#ifndef LANTERN_VERSION
#define LANTERN_VERSION "0.1.0"
#endif

namespace lantern::cli {
namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value ? value : fallback;
}

void warn(const std::string& message) { std::cerr << "lantern: warning: " << message << "\n"; }

// Hands every batch to each configured sink.
class FanOutSink final : public observe::TelemetrySink {
 public:
  explicit FanOutSink(std::vector<std::unique_ptr<observe::TelemetrySink>>& sinks)
      : sinks_(sinks) {}
  void export_spans(const observe::Resource& r, std::span<const observe::Span> spans) override {
    for (auto& sink : sinks_) sink->export_spans(r, spans);
  }
  void export_logs(const observe::Resource& r, std::span<const observe::LogRecord> l) override {
    for (auto& sink : sinks_) sink->export_logs(r, l);
  }
  void export_metrics(const observe::Resource& r,
                      std::span<const observe::MetricPoint> points) override {
    for (auto& sink : sinks_) sink->export_metrics(r, points);
  }
  void flush() override {
    for (auto& sink : sinks_) sink->flush();
  }

 private:
  std::vector<std::unique_ptr<observe::TelemetrySink>>& sinks_;
};

observe::Resource make_resource() {
  observe::Resource resource;
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  resource.attributes = {
      {"service.name", env_or("OTEL_SERVICE_NAME", "lantern")},
      {"telemetry.sdk.name", std::string("lantern")},
      {"telemetry.sdk.language", std::string("cpp")},
      {"telemetry.sdk.version", std::string(LANTERN_VERSION)},
      {"host.name", std::string(host)},
      {"process.pid", static_cast<int64_t>(::getpid())},
  };
  if (resource.attributes[0].value == observe::AttributeValue(std::string())) {
    resource.attributes[0].value = std::string("lantern");
  }
  return resource;
}

// The incoming context: --traceparent, else $TRACEPARENT (with $TRACESTATE).
std::optional<observe::SpanContext> incoming_context(const TraceOptions& options) {
  std::string text = options.traceparent.empty() ? env_or("TRACEPARENT", "") : options.traceparent;
  if (text.empty()) return std::nullopt;
  auto parsed = observe::parse_traceparent(text);
  if (!parsed) {
    warn("ignoring traceparent '" + text + "': " + parsed.error().message +
         "; starting a new trace");
    return std::nullopt;
  }
  std::string state = env_or("TRACESTATE", "");
  if (observe::valid_tracestate(state)) parsed->trace_state = state;
  return *parsed;
}

}  // namespace

void add_trace_options(CLI::App& cmd, TraceOptions& options) {
  cmd.add_flag("--trace-console", options.console,
               "Print the trace as a tree on stderr when the job ends (also "
               "OTEL_TRACES_EXPORTER=console)");
  cmd.add_option("--trace-file", options.file,
                 "Append traces, logs and metrics to FILE as OTLP/JSON lines ('-' = stdout)")
      ->type_name("FILE");
  cmd.add_option("--traceparent", options.traceparent,
                 "W3C traceparent of the caller's span (default: $TRACEPARENT); the execution "
                 "span becomes its child")
      ->type_name("TRACEPARENT");
  // A flag that may carry a value (`--trace-functions=GLOBS`), so that a bare
  // `--trace-functions MODULE` never swallows the module path; bare means "*".
  cmd.add_flag("--trace-functions{*}", options.function_globs,
               "Trace the module's functions through the engine, without instrumenting it; "
               "optionally only those matching comma-separated name globs "
               "(--trace-functions='main,app::*')")
      ->delimiter(',');
  cmd.add_option("--min-span-duration", options.min_span_duration,
                 "Drop guest spans shorter than this unless they carry tags, logs, metrics, an "
                 "error or a kept child (default 20us; 0 keeps all)")
      ->type_name("DURATION");
  cmd.add_option("--max-spans", options.max_spans,
                 "Record at most N spans per execution; the rest are counted as dropped")
      ->type_name("N");
}

Expected<std::unique_ptr<ExecutionTrace>> ExecutionTrace::create(const TraceOptions& given,
                                                                 const std::string& entrypoint) {
  TraceOptions options = given;
  if (env_or("OTEL_SDK_DISABLED", "") == "true") return std::unique_ptr<ExecutionTrace>();
  // OTEL_TRACES_EXPORTER: "console" is served here; the network exporters are not built yet.
  std::string exporters = env_or("OTEL_TRACES_EXPORTER", "");
  for (size_t start = 0; start < exporters.size();) {
    size_t comma = exporters.find(',', start);
    std::string name =
        exporters.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (name == "console")
      options.console = true;
    else if (!name.empty() && name != "none")
      warn("OTEL_TRACES_EXPORTER '" + name + "' is not supported; ignored");
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (!options.console && options.file.empty()) {
    if (options.trace_functions) {
      warn("--trace-functions has no effect without --trace-console or --trace-file");
    }
    return std::unique_ptr<ExecutionTrace>();
  }

  std::unique_ptr<ExecutionTrace> trace(new ExecutionTrace());
  trace->options_ = options;
  trace->entrypoint_ = entrypoint;
  if (options.console) trace->sinks_.push_back(std::make_unique<exporters::ConsoleTreeSink>());
  if (!options.file.empty()) {
    auto file = exporters::OtlpJsonFileSink::open(options.file);
    if (!file) return Unexpected{file.error()};
    trace->file_sink_ = file->get();
    trace->sinks_.push_back(std::move(*file));
  }
  trace->fan_out_ = std::make_unique<FanOutSink>(trace->sinks_);

  observe::CollectorOptions collector_options;
  auto min_duration = parse_duration(options.min_span_duration);
  if (!min_duration) {
    return make_error(Phase::Config, "--min-span-duration " + min_duration.error().message);
  }
  collector_options.min_span_duration_ns = static_cast<uint64_t>(min_duration->count());
  collector_options.max_spans = options.max_spans;
  collector_options.resource = make_resource();
  trace->collector_ = std::make_unique<observe::Collector>(*trace->fan_out_, collector_options);
  return trace;
}

ExecutionTrace::~ExecutionTrace() = default;

void ExecutionTrace::attach(engine::Store& store) {
  if (!options_.trace_functions) return;
  function_tracer_ =
      std::make_unique<observe::FunctionTracer>(*collector_, options_.function_globs);
  store.set_listener(function_tracer_.get());
}

void ExecutionTrace::begin_execution(const std::string& module_path,
                                     std::span<const uint8_t> module_bytes) {
  std::optional<observe::SpanContext> parent = incoming_context(options_);
  execution_span_ = collector_->begin_host_span("lantern.execution", parent);
  // Invalid settings fall back as the OpenTelemetry specification says, with a warning each.
  std::vector<Error> warnings;
  observe::Sampler sampler = observe::sampler_from_env_or_default(
      env_or("OTEL_TRACES_SAMPLER", ""), env_or("OTEL_TRACES_SAMPLER_ARG", ""), warnings);
  for (const Error& w : warnings) warn(w.message);
  collector_->set_sampled(sampler.should_sample(parent, collector_->trace_id()));
  std::string name = module_path.substr(module_path.find_last_of('/') + 1);
  execution_attributes_ = {
      {"wasm.module.path", module_path},
      {"wasm.module.name", name},
      {"wasm.module.sha256", sha256_hex(module_bytes)},
      {"wasm.entrypoint", entrypoint_},
  };
  call_span_ = collector_->reserve_span_id();
}

void ExecutionTrace::begin_phase(const std::string& name) {
  phase_span_ = collector_->begin_host_span(name);
}

void ExecutionTrace::end_phase(const Error* error) {
  if (!phase_span_.valid()) return;
  if (error) {
    collector_->end_host_span(phase_span_, {}, observe::StatusCode::Error, error->to_string());
  } else {
    collector_->end_host_span(phase_span_);
  }
  phase_span_ = {};
}

std::vector<std::string> ExecutionTrace::guest_environment() const {
  observe::SpanContext context;
  context.trace_id = collector_->trace_id();
  context.span_id = call_span_;
  context.sampled = collector_->options().sampled;
  std::vector<std::string> env = {"TRACEPARENT=" + observe::format_traceparent(context)};
  return env;
}

void ExecutionTrace::begin_call() {
  collector_->begin_host_span("wasm.call " + entrypoint_, {}, call_span_);
  call_open_ = true;
}

void ExecutionTrace::end_call(const engine::Trap* trap, std::optional<int32_t> exit_code) {
  if (!call_open_) return;
  call_open_ = false;
  collector_->close_guest_frames(trap);
  observe::Attributes attributes;
  if (exit_code) {
    attributes.push_back({"wasm.exit_code", static_cast<int64_t>(*exit_code)});
    observe::SpanEvent event;
    event.name = "exit";
    event.attributes.push_back({"wasm.exit_code", static_cast<int64_t>(*exit_code)});
    collector_->add_host_event(std::move(event));
  }
  if (trap) {
    collector_->end_host_span(call_span_, std::move(attributes), observe::StatusCode::Error,
                              trap->message);
  } else {
    collector_->end_host_span(call_span_, std::move(attributes));
  }
}

void ExecutionTrace::finish(int exit_code) {
  end_phase();
  end_call(nullptr, std::nullopt);
  const observe::CollectorCounters& counts = collector_->counters();
  observe::Attributes attributes = std::move(execution_attributes_);
  attributes.push_back({"lantern.exit_code", static_cast<int64_t>(exit_code)});
  // +1: the execution span itself, recorded as it ends.
  attributes.push_back({"lantern.spans.recorded", static_cast<int64_t>(counts.spans_recorded + 1)});
  attributes.push_back({"lantern.spans.dropped", static_cast<int64_t>(counts.spans_dropped_filter +
                                                                      counts.spans_dropped_limit)});
  attributes.push_back(
      {"lantern.spans.dropped_by_limit", static_cast<int64_t>(counts.spans_dropped_limit)});
  if (counts.unbalanced_exits) {
    attributes.push_back(
        {"lantern.guest.unbalanced_exits", static_cast<int64_t>(counts.unbalanced_exits)});
  }
  if (counts.invalid_calls) {
    attributes.push_back(
        {"lantern.guest.invalid_calls", static_cast<int64_t>(counts.invalid_calls)});
  }
  if (counts.invalid_metrics) {
    attributes.push_back(
        {"lantern.guest.invalid_metrics", static_cast<int64_t>(counts.invalid_metrics)});
  }
  if (exit_code != 0) {
    collector_->end_host_span(execution_span_, std::move(attributes), observe::StatusCode::Error,
                              "exit code " + std::to_string(exit_code));
  } else {
    collector_->end_host_span(execution_span_, std::move(attributes));
  }
  collector_->finish();
  // A full disk must not pass silently: the job's result stands, but the trace is incomplete.
  if (file_sink_ && file_sink_->write_error()) {
    warn("the trace file is incomplete: " + file_sink_->write_error()->message);
  }
}

}  // namespace lantern::cli
