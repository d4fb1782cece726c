// Runs small spec-test scripts written for this project (tests/data/spectest/*.spec, in the .wast
// format; converted with wabt's wast2json at test time) through the runner and
// the `lantern spectest` command, checking that passes, failures and skips are counted right.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "lantern/spectest/runner.h"
#include "support/test_support.h"

namespace lantern::spectest {
namespace {

// Converts tests/data/spectest/<name>.spec into <temp>/<name>/<name>.json and returns its path.
std::string convert(const std::string& name) {
  std::string dir = testing::temp_dir() + "/" + name;
  std::filesystem::create_directories(dir);
  std::string json = dir + "/" + name + ".json";
  std::string output;
  int rc = testing::run_command(std::string(LANTERN_WAST2JSON) + " " + LANTERN_TEST_DATA +
                                    "/spectest/" + name + ".spec -o " + json,
                                output);
  EXPECT_EQ(rc, 0) << output;
  return json;
}

std::vector<uint32_t> lines_of(const std::vector<Note>& notes) {
  std::vector<uint32_t> lines;
  for (const auto& note : notes) lines.push_back(note.line);
  return lines;
}

std::string dump(const FileResult& result) {
  std::ostringstream out;
  for (const auto& note : result.failures) {
    out << note.line << ": " << note.command << ": " << note.message << "\n";
  }
  return out.str();
}

TEST(SpectestRunner, CountsPassingAssertions) {
  std::ostringstream out;
  RunOptions options;
  options.verbose = true;
  auto result = run_file(convert("passing"), options, out);
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result->failed, 0u) << dump(*result);
  EXPECT_EQ(result->passed, 33u) << dump(*result);
  EXPECT_EQ(result->skipped, 1u);  // the text-format assert_malformed
  ASSERT_EQ(result->skips.size(), 1u);
  EXPECT_EQ(result->skips[0].line, 58u);
  EXPECT_NE(out.str().find("spectest.print_i32(42)"), std::string::npos) << out.str();
}

TEST(SpectestRunner, CountsFailingAssertions) {
  std::ostringstream out;
  auto result = run_file(convert("failing"), RunOptions{}, out);
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result->passed, 2u) << dump(*result);
  EXPECT_EQ(result->failed, 7u) << dump(*result);
  EXPECT_EQ(result->skipped, 0u);
  EXPECT_EQ(lines_of(result->failures), (std::vector<uint32_t>{8, 9, 10, 11, 12, 13, 14}))
      << dump(*result);
  // The message says what was expected and what came instead.
  ASSERT_FALSE(result->failures.empty());
  EXPECT_NE(result->failures[0].message.find("expected (i32:4"), std::string::npos)
      << result->failures[0].message;
  EXPECT_NE(result->failures[0].message.find("got (i32:3"), std::string::npos);
  EXPECT_TRUE(out.str().empty());  // not verbose: print output and notes stay quiet
}

TEST(SpectestRunner, SkipsSimdFiles) {
  std::string json = convert("passing");
  // Its own directory, so that other tests listing the passing/ directory do not see it.
  std::filesystem::create_directories(testing::temp_dir() + "/simd");
  std::string simd = testing::temp_dir() + "/simd/simd_passing.json";
  std::filesystem::copy_file(json, simd, std::filesystem::copy_options::overwrite_existing);
  std::ostringstream out;
  auto result = run_file(simd, RunOptions{}, out);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->passed + result->failed, 0u);
  EXPECT_EQ(result->skipped, 34u);
}

TEST(SpectestRunner, ReportsUnreadableFiles) {
  std::ostringstream out;
  EXPECT_FALSE(run_file(testing::temp_dir() + "/does-not-exist.json", RunOptions{}, out));
  EXPECT_FALSE(collect_files({testing::temp_dir() + "/does-not-exist"}));
}

TEST(SpectestCommand, PrintsPerFileAndTotalLines) {
  std::string json = convert("passing");
  convert("failing");
  std::string output;
  int rc = testing::run_command(std::string(LANTERN_BINARY) + " spectest " + json + " " +
                                    testing::temp_dir() + "/failing",
                                output);
  EXPECT_EQ(rc, 1) << output;
  EXPECT_NE(output.find("passing.json: 33 passed, 0 failed, 1 skipped\n"), std::string::npos)
      << output;
  EXPECT_NE(output.find("failing.json: 2 passed, 7 failed, 0 skipped\n"), std::string::npos)
      << output;
  EXPECT_NE(output.find("FAIL failing.json:8: assert_return:"), std::string::npos) << output;
  EXPECT_NE(output.find("\n35 passed, 7 failed, 1 skipped\n"), std::string::npos) << output;

  rc = testing::run_command(std::string(LANTERN_BINARY) + " spectest --filter pass " +
                                std::filesystem::path(json).parent_path().string(),
                            output);
  EXPECT_EQ(rc, 0) << output;
  EXPECT_NE(output.find("\n33 passed, 0 failed, 1 skipped\n"), std::string::npos) << output;
}

TEST(SpectestCommand, HelpAndVersion) {
  std::string output;
  EXPECT_EQ(testing::run_command(std::string(LANTERN_BINARY) + " --version", output), 0);
  EXPECT_NE(output.find("lantern "), std::string::npos) << output;
  EXPECT_EQ(testing::run_command(std::string(LANTERN_BINARY) + " --help", output), 0);
  EXPECT_NE(output.find("spectest"), std::string::npos) << output;
}

}  // namespace
}  // namespace lantern::spectest

namespace lantern::spectest {
namespace {

TEST(SpectestIsolated, MatchesInProcessResults) {
  std::ostringstream out;
  auto result = run_file_isolated(convert("failing"), RunOptions{}, out, std::chrono::seconds(60));
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result->passed, 2u);
  EXPECT_EQ(result->failed, 7u);
  EXPECT_EQ(lines_of(result->failures), (std::vector<uint32_t>{8, 9, 10, 11, 12, 13, 14}));
  EXPECT_FALSE(run_file_isolated(testing::temp_dir() + "/nope.json", RunOptions{}, out,
                                 std::chrono::seconds(60)));
}

TEST(SpectestIsolated, HangIsOneFailureAtItsLine) {
  std::ostringstream out;
  auto result = run_file_isolated(convert("endless"), RunOptions{}, out, std::chrono::seconds(1));
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_EQ(result->passed, 2u);  // the module and the first assert_return
  EXPECT_EQ(result->failed, 1u);
  ASSERT_EQ(result->failures.size(), 1u);
  EXPECT_EQ(result->failures[0].line, 6u);
  EXPECT_EQ(result->failures[0].command, "action");
  EXPECT_NE(result->failures[0].message.find("timed out"), std::string::npos);
}

}  // namespace
}  // namespace lantern::spectest
