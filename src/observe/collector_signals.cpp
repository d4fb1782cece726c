// What a guest attaches to its current span: tags, logs, metrics and memory growth.
#include <algorithm>

#include "lantern/engine/store.h"
#include "lantern/observe/collector.h"
#include "lantern/observe/statsd.h"
#include "observe/collector_types.h"
#include "observe/tick_clock.h"

namespace lantern::observe {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Severity severity_of(GuestLogLevel level) {
  switch (level) {
    case GuestLogLevel::Error: return Severity::Error;
    case GuestLogLevel::Warn: return Severity::Warn;
    case GuestLogLevel::Info: return Severity::Info;
    case GuestLogLevel::Debug: return Severity::Debug;
    case GuestLogLevel::Trace: return Severity::Trace;
  }
  return Severity::Info;
}

}  // namespace

Collector::Frame* Collector::current_frame() {
  if (!options_.sampled || frames_.empty()) return nullptr;
  Frame& top = frames_.back();
  ensure_span_id(top);
  return &top;
}

void Collector::add_tags(std::string_view tags) {
  Frame* frame = current_frame();
  if (!frame) {
    if (options_.sampled) ++counters_.invalid_calls;  // tags with no span open
    return;
  }
  Extras& extras = extras_of(*frame);
  while (!tags.empty()) {
    size_t comma = tags.find(',');
    std::string_view tag = trim(tags.substr(0, comma));
    tags.remove_prefix(comma == std::string_view::npos ? tags.size() : comma + 1);
    if (tag.empty()) continue;
    size_t colon = tag.find(':');
    std::string key(trim(tag.substr(0, colon)));
    std::string value(colon == std::string_view::npos ? "" : trim(tag.substr(colon + 1)));
    if (key.empty()) {
      ++counters_.invalid_calls;
      continue;
    }
    // A repeated key replaces the earlier value, as attributes do in OpenTelemetry.
    auto same = std::find_if(extras.attributes.begin(), extras.attributes.end(),
                             [&](const Attribute& a) { return a.key == key; });
    if (same != extras.attributes.end()) {
      same->value = std::move(value);
    } else {
      extras.attributes.push_back({std::move(key), std::move(value)});
    }
  }
}

void Collector::log(GuestLogLevel level, std::string_view message) {
  log(severity_of(level), message, Scope::Guest);
}

void Collector::log(Severity severity, std::string_view message, Scope scope) {
  LogRecord record;
  record.time_unix_ns = clock_->to_unix_ns(TickClock::now());
  record.severity = severity;
  record.body.assign(message);
  record.scope = scope;
  record.trace_id = trace_id_;
  if (Frame* frame = current_frame()) {
    record.span_id = span_id_from_u64(frame->span_id);
    SpanEvent event;
    event.name = "log";
    event.time_unix_ns = record.time_unix_ns;
    event.attributes.push_back({"log.severity", std::string(severity_text(severity))});
    event.attributes.push_back({"log.message", record.body});
    extras_of(*frame).events.push_back(std::move(event));
  }
  logs_.push_back(std::move(record));
  if (logs_.size() >= options_.batch_size) flush_batch();
}

void Collector::metric(int32_t format, std::string_view line) {
  if (format != 1) {  // 1 = statsd, the only format the Observe API defines
    ++counters_.invalid_calls;
    return;
  }
  uint64_t now = clock_->to_unix_ns(TickClock::now());
  Frame* frame = current_frame();
  for (auto& parsed : parse_statsd_lines(line, now)) {
    if (!parsed) {
      ++counters_.invalid_metrics;
      log(Severity::Warn, "invalid metric from the guest: " + parsed.error().message, Scope::Host);
      continue;
    }
    MetricPoint point = std::move(*parsed);
    point.trace_id = trace_id_;
    if (frame) point.span_id = span_id_from_u64(frame->span_id);
    metrics_.push_back(std::move(point));
  }
  if (metrics_.size() >= options_.batch_size) flush_batch();
}

void Collector::memory_grow(const engine::Instance*, uint32_t pages) {
  if (!options_.sampled || frames_.empty()) return;
  Extras& extras = extras_of(frames_.back());
  uint64_t bytes = uint64_t{pages} * 65536;
  SpanEvent event;
  event.name = kMemoryGrowEvent;
  event.time_unix_ns = clock_->to_unix_ns(TickClock::now());
  event.attributes.push_back({"wasm.memory.grow.pages", static_cast<int64_t>(pages)});
  event.attributes.push_back({"wasm.memory.grow.bytes", static_cast<int64_t>(bytes)});
  extras.events.push_back(std::move(event));
  ++extras.memory_grow_events;
  extras.memory_grown_bytes += bytes;
}

}  // namespace lantern::observe
