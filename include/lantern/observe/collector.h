// The per-execution collector: one stack of open frames (host spans, guest function calls and
// manual spans) turned into spans, log records and metric points for a TelemetrySink.
//
// Built for the hot path of traced calls: a frame is 32 bytes with a tick-counter timestamp;
// span ids are drawn only for spans that are kept; a kept span waits as a 48-byte record until
// its batch is full, then the batch is expanded into Span objects, handed to the sink and freed,
// so long jobs stream their spans out in bounded memory.
//
// Nothing is lost: close_open_frames() ends every open frame at the moment of a trap, exit or
// timeout (the innermost gets status error and an exception event); finish() exports the rest.
// Guest mistakes (unbalanced exits, wild pointers, bad metric lines) are counted and reported as
// attributes of the execution span, never a trap.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lantern/observe/sink.h"
#include "lantern/observe/telemetry.h"

namespace lantern::engine {
struct Instance;
struct Trap;
}  // namespace lantern::engine

namespace lantern::observe {

class TickClock;
class IdGenerator;
class ModuleNames;

struct CollectorOptions {
  // Guest spans shorter than this are dropped unless they carry something (a kept child, an
  // error, tags, logs or metrics). 0 keeps every span.
  uint64_t min_span_duration_ns = 20'000;
  uint64_t max_spans = 1'000'000;  // per execution; the rest are counted as dropped
  uint32_t max_depth = 100'000;    // deeper enters are counted, not recorded
  uint32_t batch_size = 1024;      // spans per export_spans call
  bool sampled = true;             // false: no spans at all (logs and metrics still flow)
  Resource resource;
};

// What a guest reported wrongly, for the execution span's attributes.
struct CollectorCounters {
  uint64_t spans_recorded = 0;
  uint64_t spans_dropped_filter = 0;  // shorter than the minimum duration
  uint64_t spans_dropped_limit = 0;   // over max_spans or max_depth
  uint64_t unbalanced_exits = 0;      // exits that matched no open frame, or skipped frames
  uint64_t invalid_calls = 0;         // wild pointers, bad lengths, unknown formats or levels
  uint64_t invalid_metrics = 0;       // statsd lines that did not parse
};

// A guest's log levels (the Observe API's numbering).
enum class GuestLogLevel : int32_t { Error = 1, Warn = 2, Info = 3, Debug = 4, Trace = 5 };

class Collector {
 public:
  Collector(TelemetrySink& sink, CollectorOptions options);
  ~Collector();
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  // ---- host spans (Lantern's own: execution, compile, instantiate, wasm.call)
  // Starts a host span as a child of the current top frame, or of `remote_parent` when the stack
  // is empty (else a new trace). Returns its span id, which is fixed from the start so it can be
  // handed to the guest (TRACEPARENT) before the span ends.
  // `id` may be reserved beforehand with reserve_span_id() (to hand it out before the span
  // starts).
  SpanId begin_host_span(std::string name, const std::optional<SpanContext>& remote_parent = {},
                         const SpanId& id = {});
  SpanId reserve_span_id();
  // Decides whether this execution's spans are recorded (the sampler's verdict). Call before
  // the first guest frame.
  void set_sampled(bool sampled) { options_.sampled = sampled; }
  // Ends the top frame, which must be the host span `id` (open frames above it are closed
  // first, as after a trap).
  void end_host_span(const SpanId& id, Attributes attributes = {},
                     StatusCode status = StatusCode::Unset, std::string status_message = {});
  // Adds an event to the top frame (e.g. "exit" with the exit code).
  void add_host_event(SpanEvent event);
  // The context of the top frame (what a guest started now would be a child of).
  SpanContext current_context();
  const TraceId& trace_id() const { return trace_id_; }

  // ---- guest frames (from the instrument imports or the engine's call hook)
  void enter_function(const engine::Instance* instance, uint32_t func_index);
  void exit_function(const engine::Instance* instance, uint32_t func_index);
  void enter_manual(std::string_view name);
  void exit_manual();
  void add_tags(std::string_view tags);  // "k:v,k2:v2" onto the current span
  void log(GuestLogLevel level, std::string_view message);
  void log(Severity severity, std::string_view message, Scope scope);
  void metric(int32_t format, std::string_view line);  // format 1 = statsd
  void memory_grow(const engine::Instance* instance, uint32_t pages);
  void count_invalid_call() { ++counters_.invalid_calls; }

  // Closes every open guest frame down to (not including) the innermost host span, now. With a
  // trap, the innermost closed frame gets status error and an exception event.
  void close_guest_frames(const engine::Trap* trap);

  // Exports everything still buffered and flushes the sink. Open frames are closed first.
  void finish();

  const CollectorCounters& counters() const { return counters_; }
  const CollectorOptions& options() const { return options_; }

  // Observe-API imports of a module are not traced as functions (the compiler wraps calls to
  // them too): answers whether `func_index` of `instance` is one.
  bool is_observe_import(const engine::Instance* instance, uint32_t func_index);

  struct Frame;
  struct Record;
  struct Extras;

 private:
  uint16_t module_slot(const engine::Instance* instance);
  Extras& extras_of(Frame& frame);
  void release_extras(uint32_t index);
  uint64_t ensure_span_id(Frame& frame);
  void pop_top(uint64_t end_ticks);
  void close_frame(const Frame& frame, uint64_t end_ticks, size_t parent_index);
  void move_memory_events(const Frame& frame, Frame* parent);
  SpanEvent exception_event(const engine::Trap& trap) const;
  // The span a log, tag or metric belongs to (the top frame, now kept), or null.
  Frame* current_frame();
  void flush_batch();
  Span expand(const Record& record);

  TelemetrySink& sink_;
  CollectorOptions options_;
  std::unique_ptr<TickClock> clock_;
  std::unique_ptr<IdGenerator> ids_;
  TraceId trace_id_;
  std::string trace_state_;
  uint64_t remote_parent_id_ = 0;
  uint64_t min_ticks_ = 0;
  CollectorCounters counters_;

  std::vector<Frame> frames_;
  uint32_t overflow_depth_ = 0;  // enters ignored past max_depth, still to be exited
  std::vector<Record> records_;  // kept spans waiting for their batch
  std::vector<std::unique_ptr<Extras>> extras_;
  std::vector<uint32_t> free_extras_;
  std::vector<LogRecord> logs_;
  std::vector<MetricPoint> metrics_;

  // Modules seen by this execution, with their function names (resolved when exported).
  std::vector<std::unique_ptr<ModuleNames>> modules_;
  std::unordered_map<const engine::Instance*, uint16_t> module_slots_;
  const engine::Instance* last_instance_ = nullptr;
  uint16_t last_slot_ = 0;
};

}  // namespace lantern::observe
