// `--trace-file FILE`: every batch appended as one OTLP/JSON request per line (JSON Lines, as the
// OpenTelemetry Collector's file exporter writes them). Each line goes to the OS in one write()
// as soon as its batch arrives, so a crash or a kill loses nothing already exported, and another
// process appending to the same file cannot split a line.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "lantern/observe/sink.h"
#include "lantern/util/expected.h"

namespace lantern::exporters {

class OtlpJsonFileSink final : public observe::TelemetrySink {
 public:
  // Opens `path` for appending, creating it if needed; "-" writes to stdout. The error names the
  // path and the reason: "cannot open trace file 'x/y.jsonl': No such file or directory".
  static Expected<std::unique_ptr<OtlpJsonFileSink>> open(const std::string& path);
  ~OtlpJsonFileSink() override;
  OtlpJsonFileSink(const OtlpJsonFileSink&) = delete;
  OtlpJsonFileSink& operator=(const OtlpJsonFileSink&) = delete;

  // One line each: a traces, logs or metrics request. An empty batch writes nothing.
  void export_spans(const observe::Resource& r, std::span<const observe::Span> spans) override;
  void export_logs(const observe::Resource& r, std::span<const observe::LogRecord> logs) override;
  void export_metrics(const observe::Resource& r,
                      std::span<const observe::MetricPoint> points) override;
  // Nothing is buffered here: every line was written when its batch came.
  void flush() override {}

  // The first failed write (disk full, a closed pipe...), naming the path. export_* cannot return
  // it, so the owner asks when the execution is over. After a failure nothing more is written,
  // so the file never holds a line cut in the middle followed by whole ones.
  const std::optional<Error>& write_error() const { return write_error_; }

 private:
  OtlpJsonFileSink(int fd, bool owned, std::string path)
      : fd_(fd), owned_(owned), path_(std::move(path)) {}
  void write_line(std::string line);

  int fd_;
  bool owned_;
  std::string path_;
  std::optional<Error> write_error_;
};

}  // namespace lantern::exporters
