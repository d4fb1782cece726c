// The collector's frame stack: enter/exit, manual spans, host spans, closing on traps.
#include "lantern/observe/collector.h"

#include "lantern/engine/store.h"
#include "lantern/engine/trap.h"
#include "lantern/observe/trace_context.h"
#include "observe/collector_types.h"
#include "observe/module_names.h"
#include "observe/tick_clock.h"

namespace lantern::observe {

Collector::Collector(TelemetrySink& sink, CollectorOptions options)
    : sink_(sink),
      options_(std::move(options)),
      clock_(std::make_unique<TickClock>()),
      ids_(std::make_unique<IdGenerator>()),
      trace_id_(ids_->new_trace_id()) {
  frames_.reserve(256);
  records_.reserve(std::min<uint32_t>(options_.batch_size, 1024));
  min_ticks_ = clock_->ticks_for_ns(options_.min_span_duration_ns);
}

Collector::~Collector() = default;

uint16_t Collector::module_slot(const engine::Instance* instance) {
  if (instance == last_instance_) return last_slot_;
  auto [it, added] = module_slots_.try_emplace(instance, static_cast<uint16_t>(modules_.size()));
  if (added) modules_.push_back(std::make_unique<ModuleNames>(instance->module));
  last_instance_ = instance;
  last_slot_ = it->second;
  return last_slot_;
}

bool Collector::is_observe_import(const engine::Instance* instance, uint32_t func_index) {
  return instance && modules_[module_slot(instance)]->is_observe_import(func_index);
}

Collector::Extras& Collector::extras_of(Frame& frame) {
  if (frame.extras == kNoExtras) {
    if (!free_extras_.empty()) {
      frame.extras = free_extras_.back();
      free_extras_.pop_back();
    } else {
      frame.extras = static_cast<uint32_t>(extras_.size());
      extras_.push_back(std::make_unique<Extras>());
    }
  }
  return *extras_[frame.extras];
}

void Collector::release_extras(uint32_t index) {
  if (index == kNoExtras) return;
  extras_[index]->clear();
  free_extras_.push_back(index);
}

uint64_t Collector::ensure_span_id(Frame& frame) {
  if (frame.span_id == 0) frame.span_id = span_id_to_u64(ids_->new_span_id());
  frame.flags |= kFlagKeep;
  return frame.span_id;
}

// ---------------------------------------------------------------- guest frames

void Collector::enter_function(const engine::Instance* instance, uint32_t func_index) {
  if (!options_.sampled || !instance) return;
  uint16_t slot = module_slot(instance);
  ModuleNames& names = *modules_[slot];
  if (names.is_observe_import(func_index)) return;
  if (!names.has_function(func_index)) {
    ++counters_.invalid_calls;
    return;
  }
  if (frames_.size() >= options_.max_depth) {
    ++overflow_depth_;
    ++counters_.spans_dropped_limit;
    return;
  }
  frames_.push_back(
      Frame{TickClock::now(), 0, func_index, kNoExtras, slot, FrameKind::Function, 0});
}

void Collector::exit_function(const engine::Instance* instance, uint32_t func_index) {
  if (!options_.sampled || !instance) return;
  uint64_t now = TickClock::now();
  uint16_t slot = module_slot(instance);
  ModuleNames& names = *modules_[slot];
  if (names.is_observe_import(func_index) || !names.has_function(func_index)) return;
  if (overflow_depth_ > 0) {
    --overflow_depth_;
    return;
  }
  if (!frames_.empty()) {
    const Frame& top = frames_.back();
    if (top.kind == FrameKind::Function && top.func == func_index && top.module == slot) {
      pop_top(now);
      return;
    }
  }
  // Out of order. Manual spans opened inside the function outlive it (a helper that wraps
  // span-enter is the usual way to call the API), so they stay open and move down; function
  // frames above the match lost their exit and are closed as unbalanced. Never cross a host span.
  for (size_t i = frames_.size(); i-- > 0;) {
    const Frame& f = frames_[i];
    if (f.kind == FrameKind::Host) break;
    if (f.kind != FrameKind::Function || f.func != func_index || f.module != slot) continue;
    std::vector<Frame> lifted;
    while (frames_.size() > i + 1) {
      if (frames_.back().kind == FrameKind::Manual) {
        lifted.push_back(frames_.back());
        frames_.pop_back();
      } else {
        ++counters_.unbalanced_exits;
        pop_top(now);
      }
    }
    pop_top(now);
    frames_.insert(frames_.end(), lifted.rbegin(), lifted.rend());
    return;
  }
  ++counters_.unbalanced_exits;
}

void Collector::enter_manual(std::string_view name) {
  if (!options_.sampled) return;
  if (frames_.size() >= options_.max_depth) {
    ++overflow_depth_;
    ++counters_.spans_dropped_limit;
    return;
  }
  Frame frame{TickClock::now(), 0, 0, kNoExtras, 0, FrameKind::Manual, 0};
  extras_of(frame).name.assign(name);
  frames_.push_back(frame);
}

void Collector::exit_manual() {
  if (!options_.sampled) return;
  uint64_t now = TickClock::now();
  if (overflow_depth_ > 0) {
    --overflow_depth_;
    return;
  }
  // The nearest manual span; function frames above it stay open (they were entered inside it
  // and are still running) and keep it as their parent.
  for (size_t i = frames_.size(); i-- > 0;) {
    Frame& f = frames_[i];
    if (f.kind == FrameKind::Host) break;
    if (f.kind != FrameKind::Manual) continue;
    if (f.flags & kFlagEnded) continue;  // already exited, still holding its children
    if (i + 1 == frames_.size()) {
      pop_top(now);
    } else {
      // Called from a helper function (or with calls still open): ends now but stays on the
      // stack as the parent of the frames above; it leaves (with this end time) when they have.
      f.flags |= kFlagEnded;
      extras_of(f).ended_at = now;
    }
    return;
  }
  ++counters_.unbalanced_exits;
}

// ---------------------------------------------------------------- closing frames

void Collector::pop_top(uint64_t end) {
  Frame frame = frames_.back();
  frames_.pop_back();
  if (frame.flags & kFlagEnded) end = extras_[frame.extras]->ended_at;
  close_frame(frame, end, frames_.size());
  // A manual span that ended under running frames leaves when they have.
  while (!frames_.empty() && (frames_.back().flags & kFlagEnded)) {
    Frame ended = frames_.back();
    frames_.pop_back();
    close_frame(ended, extras_[ended.extras]->ended_at, frames_.size());
  }
}

// `frame` has left the stack; `parent_index` is where its parent is (frames_[parent_index - 1]).
void Collector::close_frame(const Frame& frame, uint64_t end, size_t parent_index) {
  Frame* parent = parent_index > 0 ? &frames_[parent_index - 1] : nullptr;
  if (!options_.sampled) {
    release_extras(frame.extras);
    return;
  }
  bool keep =
      frame.kind == FrameKind::Host || (frame.flags & kFlagKeep) || end - frame.start >= min_ticks_;
  if (keep && frame.kind != FrameKind::Host && counters_.spans_recorded >= options_.max_spans) {
    keep = false;
    ++counters_.spans_dropped_limit;
  } else if (!keep) {
    ++counters_.spans_dropped_filter;
  }
  if (!keep) {
    move_memory_events(frame, parent);
    release_extras(frame.extras);
    return;
  }
  uint64_t parent_id = parent ? ensure_span_id(*parent) : remote_parent_id_;
  uint64_t span_id = frame.span_id != 0 ? frame.span_id : span_id_to_u64(ids_->new_span_id());
  records_.push_back(Record{frame.start, end, span_id, parent_id, frame.func, frame.extras,
                            frame.module, frame.kind, frame.flags});
  ++counters_.spans_recorded;
  if (records_.size() >= options_.batch_size) flush_batch();
}

// A dropped span's memory growth is not lost: its events and byte count go to its parent.
void Collector::move_memory_events(const Frame& frame, Frame* parent) {
  if (frame.extras == kNoExtras || !parent) return;
  Extras& from = *extras_[frame.extras];
  if (from.memory_grow_events == 0) return;
  Extras& to = extras_of(*parent);
  for (SpanEvent& event : from.events) {
    if (event.name == kMemoryGrowEvent) to.events.push_back(std::move(event));
  }
  to.memory_grow_events += from.memory_grow_events;
  to.memory_grown_bytes += from.memory_grown_bytes;
}

void Collector::close_guest_frames(const engine::Trap* trap) {
  uint64_t now = TickClock::now();
  if (trap && !frames_.empty() && frames_.back().kind != FrameKind::Host) {
    Frame& innermost = frames_.back();
    innermost.flags |= kFlagError | kFlagKeep;
    Extras& extras = extras_of(innermost);
    extras.status = StatusCode::Error;
    extras.status_message = trap->message;
    extras.events.push_back(exception_event(*trap));
  }
  while (!frames_.empty() && frames_.back().kind != FrameKind::Host) pop_top(now);
}

SpanEvent Collector::exception_event(const engine::Trap& trap) const {
  SpanEvent event;
  event.name = "exception";
  event.time_unix_ns = clock_->to_unix_ns(TickClock::now());
  event.attributes.push_back({"exception.type", std::string("wasm.trap")});
  event.attributes.push_back({"exception.message", trap.message});
  std::string stack;
  for (const engine::BacktraceFrame& f : trap.backtrace) {
    stack += "  at " + f.name + " (func[" + std::to_string(f.func_index) + "])\n";
  }
  if (!stack.empty()) event.attributes.push_back({"exception.stacktrace", std::move(stack)});
  return event;
}

// ---------------------------------------------------------------- host spans

SpanId Collector::reserve_span_id() { return ids_->new_span_id(); }

SpanId Collector::begin_host_span(std::string name, const std::optional<SpanContext>& remote,
                                  const SpanId& id) {
  if (frames_.empty() && counters_.spans_recorded == 0 && remote && remote->valid()) {
    trace_id_ = remote->trace_id;
    trace_state_ = remote->trace_state;
    remote_parent_id_ = span_id_to_u64(remote->span_id);
  }
  uint64_t span_id = span_id_to_u64(id.valid() ? id : ids_->new_span_id());
  Frame frame{TickClock::now(), span_id, 0, kNoExtras, 0, FrameKind::Host, kFlagKeep};
  extras_of(frame).name = std::move(name);
  frames_.push_back(frame);
  return span_id_from_u64(frame.span_id);
}

void Collector::end_host_span(const SpanId& id, Attributes attributes, StatusCode status,
                              std::string status_message) {
  uint64_t want = span_id_to_u64(id);
  uint64_t now = TickClock::now();
  for (size_t i = frames_.size(); i-- > 0;) {
    if (frames_[i].kind != FrameKind::Host || frames_[i].span_id != want) continue;
    while (frames_.size() > i + 1) pop_top(now);  // guest frames left open: close them now
    Extras& extras = extras_of(frames_.back());
    for (Attribute& a : attributes) extras.attributes.push_back(std::move(a));
    if (status != StatusCode::Unset) {
      extras.status = status;
      extras.status_message = std::move(status_message);
    }
    pop_top(now);
    return;
  }
}

void Collector::add_host_event(SpanEvent event) {
  if (frames_.empty()) return;
  if (event.time_unix_ns == 0) event.time_unix_ns = clock_->to_unix_ns(TickClock::now());
  extras_of(frames_.back()).events.push_back(std::move(event));
}

SpanContext Collector::current_context() {
  SpanContext context;
  context.trace_id = trace_id_;
  context.trace_state = trace_state_;
  context.sampled = options_.sampled;
  if (!frames_.empty()) {
    context.span_id = span_id_from_u64(ensure_span_id(frames_.back()));
  } else {
    context.span_id = span_id_from_u64(remote_parent_id_);
  }
  return context;
}

void Collector::finish() {
  uint64_t now = TickClock::now();
  while (!frames_.empty()) pop_top(now);
  flush_batch();
  sink_.flush();
}

}  // namespace lantern::observe
