// The Observe guest API served to Wasm modules, all reporting into one Collector:
//   dylibso:observe/instrument  enter(i32) exit(i32) memory-grow(i32)
//   dylibso:observe/api         span-enter(ptr,len) span-exit() span-tags(ptr,len)
//                               log(level,ptr,len) metric(format,ptr,len)
//   dylibso_observe (legacy)    instrument_enter/exit/memory_grow(i32), span_enter(i64,i32),
//                               span_tags(i64,i32), metric(i32,i64,i32), log(i32,i64,i32),
//                               span_exit()
// Every module linked through the same linker reports into the same collector. A wild pointer or
// length is counted (CollectorCounters::invalid_calls), never a trap.
#pragma once

#include "lantern/engine/linker.h"
#include "lantern/engine/store.h"
#include "lantern/observe/collector.h"

namespace lantern::observe {

// Longest string a guest may pass; longer ones are cut (logs, tags) to bound host memory.
inline constexpr uint32_t kMaxGuestString = 64 * 1024;

// `collector` may be null (tracing off): the functions then do nothing, so instrumented modules
// still link and run.
void define_observe(engine::Store& store, engine::Linker& linker, Collector* collector);

}  // namespace lantern::observe
