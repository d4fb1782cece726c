// The collector's compact internal records (see collector.h for the design).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lantern/observe/collector.h"

namespace lantern::observe {

enum class FrameKind : uint8_t { Host, Function, Manual };

inline constexpr uint32_t kNoExtras = ~0u;
inline constexpr uint8_t kFlagKeep = 1;   // kept whatever its duration
inline constexpr uint8_t kFlagError = 2;  // status error (trap)
inline constexpr uint8_t kFlagEnded = 4;  // a manual span exited while frames above it run

inline constexpr const char* kMemoryGrowEvent = "memory.grow";

inline uint64_t span_id_to_u64(const SpanId& id) {
  uint64_t v = 0;
  for (uint8_t b : id.bytes) v = (v << 8) | b;
  return v;
}
inline SpanId span_id_from_u64(uint64_t v) {
  SpanId id;
  for (int i = 7; i >= 0; --i, v >>= 8) id.bytes[static_cast<size_t>(i)] = uint8_t(v);
  return id;
}

// An open span. 32 bytes: start, id (0 until drawn), name and extras indexes.
struct Collector::Frame {
  uint64_t start = 0;    // ticks
  uint64_t span_id = 0;  // drawn when first needed (kept child, log, context)
  uint32_t func = 0;     // function index for FrameKind::Function
  uint32_t extras = kNoExtras;
  uint16_t module = 0;
  FrameKind kind = FrameKind::Function;
  uint8_t flags = 0;
};
static_assert(sizeof(Collector::Frame) == 32);

// A kept span waiting for its batch: 48 bytes, everything else lives in its Extras (if any).
struct Collector::Record {
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t span_id = 0;
  uint64_t parent_id = 0;
  uint32_t func = 0;
  uint32_t extras = kNoExtras;
  uint16_t module = 0;
  FrameKind kind = FrameKind::Function;
  uint8_t flags = 0;
};
static_assert(sizeof(Collector::Record) == 48);

// What only some spans carry: a name (host and manual spans), tags, events, status.
struct Collector::Extras {
  std::string name;
  Attributes attributes;
  std::vector<SpanEvent> events;
  StatusCode status = StatusCode::Unset;
  std::string status_message;
  uint64_t memory_grown_bytes = 0;
  uint64_t memory_grow_events = 0;  // events that are memory growth (they move when dropped)
  uint64_t ended_at = 0;            // ticks, for kFlagEnded

  void clear() { *this = Extras{}; }
};

}  // namespace lantern::observe
