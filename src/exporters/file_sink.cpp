#include "lantern/exporters/file_sink.h"

#include <cerrno>
#include <cstring>

#include "lantern/exporters/otlp_json.h"

namespace lantern::exporters {

Expected<std::unique_ptr<OtlpJsonFileSink>> OtlpJsonFileSink::open(const std::string& path) {
  if (path == "-") return std::unique_ptr<OtlpJsonFileSink>(new OtlpJsonFileSink(stdout, false));
  FILE* file = std::fopen(path.c_str(), "a");
  if (!file) {
    return make_error(Phase::Io, "cannot open trace file '" + path + "': " + std::strerror(errno));
  }
  return std::unique_ptr<OtlpJsonFileSink>(new OtlpJsonFileSink(file, true));
}

OtlpJsonFileSink::~OtlpJsonFileSink() {
  if (owned_) std::fclose(file_);
}

void OtlpJsonFileSink::write_line(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fputc('\n', file_);
  std::fflush(file_);
}

void OtlpJsonFileSink::export_spans(const observe::Resource& r,
                                    std::span<const observe::Span> spans) {
  if (!spans.empty()) write_line(encode_traces(r, spans).dump());
}

void OtlpJsonFileSink::export_logs(const observe::Resource& r,
                                   std::span<const observe::LogRecord> logs) {
  if (!logs.empty()) write_line(encode_logs(r, logs).dump());
}

void OtlpJsonFileSink::export_metrics(const observe::Resource& r,
                                      std::span<const observe::MetricPoint> points) {
  if (!points.empty()) write_line(encode_metrics(r, points).dump());
}

void OtlpJsonFileSink::flush() { std::fflush(file_); }

}  // namespace lantern::exporters
