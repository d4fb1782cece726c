// `--trace-console`: the execution as an indented tree when it ends, for a human at a terminal.
//
//   trace 4bf92f3577b34da6a3ce929d0e0e4736
//     lantern.execution  3.112 ms  wasm.module.name=job.wasm
//       wasm.call _start  2.871 ms
//         main  2.802 ms
//           [INFO] starting
//           • memory.grow wasm.memory.grow.pages=2 wasm.memory.grow.bytes=131072
//           parse  412.500 µs  ✗ ERROR: bad input
//   metrics
//     jobs.done  counter  count=1  sum=1
//
// Spans arrive children-first, in completion order, over many export_spans calls (they stream
// out while a job runs), so the sink keeps everything until flush(). Each trace is printed by
// start time: under a span, its events (•), logs ([LEVEL]) and children in time order. A span
// whose parent was not seen (the caller's span from TRACEPARENT, say) is printed at the top with
// "(parent <id>)"; logs of no printed span come after the traces, then one line per metric name.
// Text from the guest has its control characters escaped, so it cannot drive the terminal;
// indentation stops at 40 levels (deeper lines start with "[depth]").
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "lantern/observe/sink.h"

namespace lantern::exporters {

class ConsoleTreeSink final : public observe::TelemetrySink {
 public:
  // `out` stays owned by the caller; nullptr prints nothing (render() still works).
  explicit ConsoleTreeSink(FILE* out = stderr) : out_(out) {}

  void export_spans(const observe::Resource& r, std::span<const observe::Span> spans) override;
  void export_logs(const observe::Resource& r, std::span<const observe::LogRecord> logs) override;
  void export_metrics(const observe::Resource& r,
                      std::span<const observe::MetricPoint> points) override;
  // Prints render() and forgets what it printed.
  void flush() override;

  // The text flush() prints; the same input always gives the same text.
  std::string render() const;

 private:
  FILE* out_;
  std::vector<observe::Span> spans_;
  std::vector<observe::LogRecord> logs_;
  std::vector<observe::MetricPoint> metrics_;
};

// "850 ns", "12.345 µs", "4.560 ms", "1.234 s".
std::string format_duration(uint64_t ns);

}  // namespace lantern::exporters
