// `lantern spectest PATH...`: runs wast2json-converted spec test files and prints one line per
// file, one line per failure, and a closing `N passed, N failed, N skipped` line.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "lantern/spectest/runner.h"

namespace lantern::cli {
namespace {

struct SpectestArgs {
  std::vector<std::string> paths;
  std::string filter;
  bool verbose = false;
  bool in_process = false;
  int timeout_seconds = 300;
};

void print_notes(const std::string& name, const char* label,
                 const std::vector<spectest::Note>& notes) {
  for (const auto& note : notes) {
    std::cout << "  " << label << name << ":" << note.line << ": " << note.command << ": "
              << note.message << "\n";
  }
}

int run_spectest(const SpectestArgs& args) {
  auto files = spectest::collect_files(args.paths);
  if (!files) {
    std::cerr << "lantern spectest: " << files.error().to_string() << "\n";
    return 2;
  }
  spectest::RunOptions options;
  options.verbose = args.verbose;
  uint64_t passed = 0, failed = 0, skipped = 0;
  for (const auto& path : *files) {
    std::string name = std::filesystem::path(path).filename().string();
    if (!args.filter.empty() && name.find(args.filter) == std::string::npos) continue;
    auto result = args.in_process
                      ? spectest::run_file(path, options, std::cout)
                      : spectest::run_file_isolated(path, options, std::cout,
                                                    std::chrono::seconds(args.timeout_seconds));
    if (!result) {
      // An unreadable file counts as one failure so that it cannot pass silently.
      std::cout << name << ": error: " << result.error().to_string() << "\n";
      ++failed;
      continue;
    }
    std::cout << name << ": " << result->passed << " passed, " << result->failed << " failed, "
              << result->skipped << " skipped\n";
    print_notes(name, "FAIL ", result->failures);
    if (args.verbose) {
      print_notes(name, "warning ", result->warnings);
      print_notes(name, "skip ", result->skips);
    }
    passed += result->passed;
    failed += result->failed;
    skipped += result->skipped;
  }
  std::cout << passed << " passed, " << failed << " failed, " << skipped << " skipped"
            << std::endl;
  return failed == 0 ? 0 : 1;
}

}  // namespace

void register_spectest(CLI::App& app, CommandStatus& status) {
  auto args = std::make_shared<SpectestArgs>();
  CLI::App* cmd = app.add_subcommand("spectest", "Run wast2json-converted spec test files");
  cmd->add_option("PATH", args->paths, ".json files or directories of them")->required();
  cmd->add_option("--filter", args->filter, "Only run files whose name contains this text");
  cmd->add_flag("-v,--verbose", args->verbose,
                "Show skip reasons, warnings and spectest.print output");
  cmd->add_flag("--in-process", args->in_process,
                "Run files in this process (for debuggers) instead of one child process each, "
                "which survives crashes and hangs");
  cmd->add_option("--timeout", args->timeout_seconds, "Seconds allowed per file (child mode)")
      ->check(CLI::PositiveNumber);
  cmd->callback([args, &status] { status.exit_code = run_spectest(*args); });
}

}  // namespace lantern::cli
