// `--trace-console`: the execution as an indented tree on stderr when it ends — span names,
// durations, attributes, events, the logs of each span, errors — then a summary of the metrics.
// Spans arrive children-first over many batches, so the sink keeps them until flush().
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "lantern/observe/sink.h"

namespace lantern::exporters {

class ConsoleTreeSink final : public observe::TelemetrySink {
 public:
  explicit ConsoleTreeSink(FILE* out = stderr) : out_(out) {}

  void export_spans(const observe::Resource& r, std::span<const observe::Span> spans) override;
  void export_logs(const observe::Resource& r, std::span<const observe::LogRecord> logs) override;
  void export_metrics(const observe::Resource& r,
                      std::span<const observe::MetricPoint> points) override;
  void flush() override;

  // The text flush() prints (for tests).
  std::string render() const;

 private:
  FILE* out_;
  std::vector<observe::Span> spans_;
  std::vector<observe::LogRecord> logs_;
  std::vector<observe::MetricPoint> metrics_;
};

// "850 ns", "12.3 µs", "4.56 ms", "1.23 s".
std::string format_duration(uint64_t ns);

}  // namespace lantern::exporters
