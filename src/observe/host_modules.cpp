#include "lantern/observe/host_modules.h"

#include <optional>
#include <string>
#include <string_view>

#include "lantern/engine/host.h"

namespace lantern::observe {
namespace {

using engine::Caller;

constexpr const char* kInstrument = "dylibso:observe/instrument";
constexpr const char* kApi = "dylibso:observe/api";
constexpr const char* kLegacy = "dylibso_observe";

// The guest's bytes [ptr, ptr + len) of memory 0, cut to kMaxGuestString; nullopt (and counted)
// when out of bounds.
std::optional<std::string_view> guest_string(Collector& collector, Caller& caller, uint64_t ptr,
                                             uint32_t len) {
  engine::MemInst* memory = caller.memory();
  if (!memory || ptr > memory->size || len > memory->size - ptr) {
    collector.count_invalid_call();
    return std::nullopt;
  }
  return std::string_view(reinterpret_cast<const char*>(memory->data + ptr),
                          std::min(len, kMaxGuestString));
}

struct Definer {
  engine::Store& store;
  engine::Linker& linker;
  void operator()(const char* module, const char* name, engine::TypedHostFunction fn) {
    engine::FuncInst* func =
        engine::add_host_function(store, std::string(module) + "." + name, std::move(fn));
    linker.define(module, name, engine::Extern::of(func));
  }
};

// The calls shared by the current and legacy names; pointers are u64 so one body serves both.
// Without a collector (tracing off) every call does nothing, so instrumented modules still link.
struct Api {
  Collector* c;
  void enter(Caller& caller, uint32_t func) const {
    if (c) c->enter_function(caller.instance(), func);
  }
  void exit(Caller& caller, uint32_t func) const {
    if (c) c->exit_function(caller.instance(), func);
  }
  void memory_grow(Caller& caller, uint32_t pages) const {
    if (c) c->memory_grow(caller.instance(), pages);
  }
  void span_enter(Caller& caller, uint64_t ptr, uint32_t len) const {
    if (!c) return;
    // An unreadable name still opens a span, so the guest's span-exit stays balanced.
    auto name = guest_string(*c, caller, ptr, len);
    c->enter_manual(name ? *name : std::string_view("(invalid span name)"));
  }
  void span_exit() const {
    if (c) c->exit_manual();
  }
  void span_tags(Caller& caller, uint64_t ptr, uint32_t len) const {
    if (!c) return;
    if (auto tags = guest_string(*c, caller, ptr, len)) c->add_tags(*tags);
  }
  void log(Caller& caller, int32_t level, uint64_t ptr, uint32_t len) const {
    if (!c) return;
    auto text = guest_string(*c, caller, ptr, len);
    if (!text) return;
    if (level < 1 || level > 5) {
      c->count_invalid_call();
      level = 3;  // keep the message: an unknown level is logged as info
    }
    c->log(static_cast<GuestLogLevel>(level), *text);
  }
  void metric(Caller& caller, int32_t format, uint64_t ptr, uint32_t len) const {
    if (!c) return;
    if (auto line = guest_string(*c, caller, ptr, len)) c->metric(format, *line);
  }
};

void define_instrument(Definer& define, Api api, const char* module, const char* enter,
                       const char* exit, const char* grow) {
  define(module, enter,
         engine::host_function([api](Caller& caller, uint32_t func) { api.enter(caller, func); }));
  define(module, exit,
         engine::host_function([api](Caller& caller, uint32_t func) { api.exit(caller, func); }));
  define(module, grow, engine::host_function([api](Caller& caller, uint32_t pages) {
           api.memory_grow(caller, pages);
         }));
}

}  // namespace

void define_observe(engine::Store& store, engine::Linker& linker, Collector* collector) {
  Definer define{store, linker};
  Api api{collector};
  define_instrument(define, api, kInstrument, "enter", "exit", "memory-grow");
  define_instrument(define, api, kLegacy, "instrument_enter", "instrument_exit",
                    "instrument_memory_grow");

  define(kApi, "span-enter", engine::host_function([api](Caller& caller, uint32_t p, uint32_t n) {
           api.span_enter(caller, p, n);
         }));
  define(kApi, "span-exit", engine::host_function([api](Caller&) { api.span_exit(); }));
  define(kApi, "span-tags", engine::host_function([api](Caller& caller, uint32_t p, uint32_t n) {
           api.span_tags(caller, p, n);
         }));
  define(kApi, "log",
         engine::host_function([api](Caller& caller, int32_t level, uint32_t p, uint32_t n) {
           api.log(caller, level, p, n);
         }));
  define(kApi, "metric",
         engine::host_function([api](Caller& caller, int32_t format, uint32_t p, uint32_t n) {
           api.metric(caller, format, p, n);
         }));

  // The legacy manual API passes 64-bit pointers.
  define(kLegacy, "span_enter",
         engine::host_function(
             [api](Caller& caller, uint64_t p, uint32_t n) { api.span_enter(caller, p, n); }));
  define(kLegacy, "span_exit", engine::host_function([api](Caller&) { api.span_exit(); }));
  define(kLegacy, "span_tags", engine::host_function([api](Caller& caller, uint64_t p, uint32_t n) {
           api.span_tags(caller, p, n);
         }));
  define(kLegacy, "log",
         engine::host_function([api](Caller& caller, int32_t level, uint64_t p, uint32_t n) {
           api.log(caller, level, p, n);
         }));
  define(kLegacy, "metric",
         engine::host_function([api](Caller& caller, int32_t format, uint64_t p, uint32_t n) {
           api.metric(caller, format, p, n);
         }));
}

}  // namespace lantern::observe
