#include "lantern/exporters/file_sink.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "exporters/fixtures.h"
#include "support/test_support.h"

namespace lantern::exporters {
namespace {

using namespace observe;
using namespace exporters::testing;
using nlohmann::json;

std::vector<json> read_lines(const std::string& path) {
  std::vector<json> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) lines.push_back(json::parse(line));  // throws if not JSON
  return lines;
}

TEST(OtlpJsonFileSink, EachBatchIsOneJsonLineReadableAtOnce) {
  std::string path = lantern::testing::temp_dir() + "/trace.jsonl";
  auto sink = OtlpJsonFileSink::open(path);
  ASSERT_TRUE(sink) << sink.error().message;
  Resource resource{{{"service.name", std::string("job")}}};
  std::vector<Span> spans = {make_span(2, 1, "work", Scope::Guest, 1, 2),
                             make_span(1, 0, "lantern.execution", Scope::Host, 0, 3)};
  LogRecord log = make_log(Severity::Info, "line one\nline two", 2, 1);
  MetricPoint metric = make_metric("hits", MetricKind::Counter, 1);

  (*sink)->export_spans(resource, spans);
  (*sink)->export_logs(resource, std::span(&log, 1));
  (*sink)->export_metrics(resource, std::span(&metric, 1));
  (*sink)->export_spans(resource, {});  // empty batches write nothing
  (*sink)->export_logs(resource, {});
  (*sink)->export_metrics(resource, {});
  (*sink)->export_spans(resource, std::span(&spans[0], 1));

  // Read while the sink is still open: every line is already with the OS.
  std::vector<json> lines = read_lines(path);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0]["resourceSpans"][0]["resource"]["attributes"][0]["value"]["stringValue"],
            "job");
  EXPECT_EQ(lines[0]["resourceSpans"][0]["scopeSpans"].size(), 2u);
  EXPECT_EQ(lines[1]["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["body"]["stringValue"],
            "line one\nline two");
  EXPECT_EQ(lines[2]["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["name"], "hits");
  EXPECT_EQ(lines[3]["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["name"], "work");
  EXPECT_FALSE((*sink)->write_error());
  (*sink)->flush();
  EXPECT_EQ(read_lines(path).size(), 4u);
}

TEST(OtlpJsonFileSink, AppendsToAnExistingFile) {
  std::string path = lantern::testing::temp_dir() + "/append.jsonl";
  Span s = make_span(1, 0, "run", Scope::Host, 0, 1);
  for (int run = 0; run < 2; ++run) {
    auto sink = OtlpJsonFileSink::open(path);
    ASSERT_TRUE(sink);
    (*sink)->export_spans({}, std::span(&s, 1));
  }
  EXPECT_EQ(read_lines(path).size(), 2u);
}

TEST(OtlpJsonFileSink, AnUnopenablePathIsNamedWithTheReason) {
  std::string missing = lantern::testing::temp_dir() + "/no-such-dir/trace.jsonl";
  auto sink = OtlpJsonFileSink::open(missing);
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().phase, Phase::Io);
  EXPECT_EQ(sink.error().message,
            "cannot open trace file '" + missing + "': No such file or directory");

  std::string directory = lantern::testing::temp_dir();
  auto is_dir = OtlpJsonFileSink::open(directory);
  ASSERT_FALSE(is_dir);
  EXPECT_EQ(is_dir.error().message, "cannot open trace file '" + directory + "': Is a directory");

  if (::geteuid() != 0) {  // root may write anywhere
    std::string read_only = lantern::testing::temp_dir() + "/read-only.jsonl";
    std::ofstream(read_only) << "";
    ::chmod(read_only.c_str(), 0444);
    auto denied = OtlpJsonFileSink::open(read_only);
    ASSERT_FALSE(denied);
    EXPECT_NE(denied.error().message.find("Permission denied"), std::string::npos);
  }
}

TEST(OtlpJsonFileSink, AFailedWriteIsKeptNamingThePath) {
  auto sink = OtlpJsonFileSink::open("/dev/full");
  ASSERT_TRUE(sink);
  Span s = make_span(1, 0, "run", Scope::Host, 0, 1);
  (*sink)->export_spans({}, std::span(&s, 1));
  ASSERT_TRUE((*sink)->write_error());
  EXPECT_EQ((*sink)->write_error()->message,
            "cannot write trace file '/dev/full': No space left on device");
}

}  // namespace
}  // namespace lantern::exporters
