// Turning kept records into Spans and handing batches to the sink.
#include "lantern/observe/collector.h"
#include "observe/collector_types.h"
#include "observe/module_names.h"
#include "observe/tick_clock.h"

namespace lantern::observe {

Span Collector::expand(const Record& record) {
  Span span;
  span.trace_id = trace_id_;
  span.span_id = span_id_from_u64(record.span_id);
  span.parent_span_id = span_id_from_u64(record.parent_id);
  span.trace_state = trace_state_;
  span.scope = record.kind == FrameKind::Host ? Scope::Host : Scope::Guest;
  span.start_unix_ns = clock_->to_unix_ns(record.start);
  span.end_unix_ns = clock_->to_unix_ns(record.end);
  if (record.kind == FrameKind::Function) {
    ModuleNames& names = *modules_[record.module];
    span.name = names.function(record.func);
    span.attributes.push_back({"code.function", span.name});
    span.attributes.push_back({"wasm.function.index", static_cast<int64_t>(record.func)});
    if (!names.module_name().empty()) {
      span.attributes.push_back({"wasm.module", names.module_name()});
    }
  }
  if (record.extras != kNoExtras) {
    Extras& extras = *extras_[record.extras];
    if (record.kind != FrameKind::Function) span.name = std::move(extras.name);
    for (Attribute& a : extras.attributes) span.attributes.push_back(std::move(a));
    if (extras.memory_grown_bytes > 0) {
      span.attributes.push_back(
          {"wasm.memory.grown_bytes", static_cast<int64_t>(extras.memory_grown_bytes)});
    }
    span.events = std::move(extras.events);
    span.status = extras.status;
    span.status_message = std::move(extras.status_message);
    release_extras(record.extras);
  }
  return span;
}

void Collector::flush_batch() {
  clock_->recalibrate();
  if (!records_.empty()) {
    std::vector<Span> spans;
    spans.reserve(records_.size());
    for (const Record& record : records_) spans.push_back(expand(record));
    records_.clear();
    sink_.export_spans(options_.resource, spans);
  }
  if (!logs_.empty()) {
    sink_.export_logs(options_.resource, logs_);
    logs_.clear();
  }
  if (!metrics_.empty()) {
    sink_.export_metrics(options_.resource, metrics_);
    metrics_.clear();
  }
}

}  // namespace lantern::observe
