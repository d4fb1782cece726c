// `--trace-file FILE`: every batch appended as one OTLP/JSON request per line (JSON Lines, as the
// OpenTelemetry Collector's file exporter writes), flushed to the OS at once so a crash loses
// nothing already exported.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "lantern/observe/sink.h"
#include "lantern/util/expected.h"

namespace lantern::exporters {

class OtlpJsonFileSink final : public observe::TelemetrySink {
 public:
  // "-" writes to stdout. Error names the path and the reason.
  static Expected<std::unique_ptr<OtlpJsonFileSink>> open(const std::string& path);
  ~OtlpJsonFileSink() override;

  void export_spans(const observe::Resource& r, std::span<const observe::Span> spans) override;
  void export_logs(const observe::Resource& r, std::span<const observe::LogRecord> logs) override;
  void export_metrics(const observe::Resource& r,
                      std::span<const observe::MetricPoint> points) override;
  void flush() override;

 private:
  OtlpJsonFileSink(FILE* file, bool owned) : file_(file), owned_(owned) {}
  void write_line(const std::string& line);

  FILE* file_;
  bool owned_;
};

}  // namespace lantern::exporters
