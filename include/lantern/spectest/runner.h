// Runs the official spec test suite as converted by wabt's wast2json: one .json file of commands
// plus the .wasm modules it names. Each file gets a fresh Store and Linker.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "lantern/util/expected.h"

namespace lantern::spectest {

struct FileResult;
struct Command;

struct RunOptions {
  // Collect skip reasons and warnings, and let spectest.print* write to the output stream.
  bool verbose = false;
  // Called before each command with the counts so far (used to report where a crash happened).
  std::function<void(const Command&, const FileResult&)> before_command;
};

// A remark about one command of a file.
struct Note {
  uint32_t line = 0;    // line in the .wast source
  std::string command;  // "assert_return", "module", ...
  std::string message;  // what went wrong: expected vs got
};

struct FileResult {
  std::string file;  // the .json path as given
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;
  std::vector<Note> failures;
  std::vector<Note> skips;     // why commands were skipped (filled in verbose mode only)
  std::vector<Note> warnings;  // passed, but not quite as the script says (verbose mode only)
};

// Runs every command of one wast2json file. `out` receives spectest.print* output in verbose mode.
// Fails only when the file cannot be read or is not wast2json JSON.
Expected<FileResult> run_file(const std::string& json_path, const RunOptions& options,
                              std::ostream& out);

// Runs run_file in a child process, so that a crash or a hang of the engine costs one file and
// not the whole run. A crash or timeout counts as one more failure, reported at the command that
// was running; the counts made before it are kept, the earlier failure details are not.
Expected<FileResult> run_file_isolated(const std::string& json_path, const RunOptions& options,
                                       std::ostream& out, std::chrono::seconds timeout);

// Expands PATHs: a .json file stays as is, a directory gives its *.json files sorted by name.
Expected<std::vector<std::string>> collect_files(const std::vector<std::string>& paths);

}  // namespace lantern::spectest
