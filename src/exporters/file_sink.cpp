#include "lantern/exporters/file_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "lantern/exporters/otlp_json.h"

namespace lantern::exporters {

Expected<std::unique_ptr<OtlpJsonFileSink>> OtlpJsonFileSink::open(const std::string& path) {
  if (path == "-") {
    return std::unique_ptr<OtlpJsonFileSink>(new OtlpJsonFileSink(STDOUT_FILENO, false, "-"));
  }
  // O_APPEND: each write lands at the end even when several runs share the file.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return make_error(Phase::Io, "cannot open trace file '" + path + "': " + std::strerror(errno));
  }
  return std::unique_ptr<OtlpJsonFileSink>(new OtlpJsonFileSink(fd, true, path));
}

OtlpJsonFileSink::~OtlpJsonFileSink() {
  if (owned_) ::close(fd_);
}

void OtlpJsonFileSink::write_line(std::string line) {
  if (write_error_) return;
  line += '\n';
  // Text the process printed through stdio must come before our line on a shared stdout.
  if (!owned_) std::fflush(stdout);
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const char* reason = n < 0 ? std::strerror(errno) : "nothing written";
      write_error_ =
          make_error(Phase::Io, "cannot write trace file '" + path_ + "': " + reason).error;
      return;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
}

void OtlpJsonFileSink::export_spans(const observe::Resource& r,
                                    std::span<const observe::Span> spans) {
  if (!spans.empty()) write_line(to_json_text(encode_traces(r, spans)));
}

void OtlpJsonFileSink::export_logs(const observe::Resource& r,
                                   std::span<const observe::LogRecord> logs) {
  if (!logs.empty()) write_line(to_json_text(encode_logs(r, logs)));
}

void OtlpJsonFileSink::export_metrics(const observe::Resource& r,
                                      std::span<const observe::MetricPoint> points) {
  if (!points.empty()) write_line(to_json_text(encode_metrics(r, points)));
}

}  // namespace lantern::exporters
