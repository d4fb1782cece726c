// run_file in a forked child: an engine crash or endless loop in one spec file is reported as a
// failure of that file instead of ending the whole run. The child streams its FileResult back
// over a pipe as tab-separated lines; its progress (current command and counts) lives in a
// shared page so that the parent can say where a crash happened.
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstring>
#include <iostream>
#include <sstream>

#include "lantern/spectest/runner.h"
#include "lantern/spectest/script.h"

namespace lantern::spectest {
namespace {

struct Progress {
  uint32_t line = 0;
  char command[32] = {};
  uint64_t passed = 0, failed = 0, skipped = 0;
};

std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += ' ';
    else out += c;
  }
  return out;
}

std::string serialize(const Expected<FileResult>& result) {
  if (!result) {
    return fmt::format("E\t{}\t{}\nEND\n", static_cast<int>(result.error().phase),
                       one_line(result.error().message));
  }
  std::string out = fmt::format("C\t{}\t{}\t{}\n", result->passed, result->failed, result->skipped);
  auto notes = [&](char tag, const std::vector<Note>& list) {
    for (const auto& note : list) {
      out += fmt::format("{}\t{}\t{}\t{}\n", tag, note.line, note.command, one_line(note.message));
    }
  };
  notes('F', result->failures);
  notes('W', result->warnings);
  notes('S', result->skips);
  return out + "END\n";
}

// Parses what serialize wrote; false when the text is incomplete.
bool deserialize(const std::string& text, Expected<FileResult>& out, FileResult& result) {
  std::istringstream in(text);
  std::string row;
  while (std::getline(in, row)) {
    if (row == "END") return true;
    std::vector<std::string> fields;
    size_t start = 0;
    for (int i = 0; i < 3; ++i) {
      size_t tab = row.find('\t', start);
      if (tab == std::string::npos) break;
      fields.push_back(row.substr(start, tab - start));
      start = tab + 1;
    }
    fields.push_back(row.substr(start));
    if (fields[0] == "E" && fields.size() >= 3) {
      out = make_error(static_cast<Phase>(std::stoi(fields[1])), fields[2]);
    } else if (fields[0] == "C" && fields.size() == 4) {
      result.passed = std::stoull(fields[1]);
      result.failed = std::stoull(fields[2]);
      result.skipped = std::stoull(fields[3]);
    } else if (fields.size() == 4) {
      Note note{static_cast<uint32_t>(std::stoul(fields[1])), fields[2], fields[3]};
      if (fields[0] == "F") result.failures.push_back(std::move(note));
      if (fields[0] == "W") result.warnings.push_back(std::move(note));
      if (fields[0] == "S") result.skips.push_back(std::move(note));
    }
  }
  return false;
}

[[noreturn]] void run_child(int fd, Progress* progress, const std::string& json_path,
                            RunOptions options, std::ostream& out) {
  options.before_command = [progress](const Command& command, const FileResult& so_far) {
    progress->line = command.line;
    std::snprintf(progress->command, sizeof progress->command, "%s", command.type.c_str());
    progress->passed = so_far.passed;
    progress->failed = so_far.failed;
    progress->skipped = so_far.skipped;
  };
  std::string text = serialize(run_file(json_path, options, out));
  out.flush();
  for (size_t done = 0; done < text.size();) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  _exit(0);
}

// Reads the child's report until EOF or the deadline; false on timeout.
bool read_report(int fd, std::chrono::steady_clock::time_point deadline, std::string& text) {
  char buffer[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd pfd{fd, POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) return true;
    if (ready <= 0) continue;
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    text.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace

Expected<FileResult> run_file_isolated(const std::string& json_path, const RunOptions& options,
                                       std::ostream& out, std::chrono::seconds timeout) {
  void* shared = mmap(nullptr, sizeof(Progress), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) return make_error(Phase::Io, "mmap failed: " + std::string(strerror(errno)));
  auto* progress = new (shared) Progress{};
  int fds[2];
  if (pipe(fds) != 0) {
    munmap(shared, sizeof(Progress));
    return make_error(Phase::Io, "pipe failed: " + std::string(strerror(errno)));
  }
  out.flush();
  std::cout.flush();
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    munmap(shared, sizeof(Progress));
    return make_error(Phase::Io, "fork failed: " + std::string(strerror(errno)));
  }
  if (pid == 0) {
    close(fds[0]);
    run_child(fds[1], progress, json_path, options, out);
  }
  close(fds[1]);
  std::string text;
  bool finished = read_report(fds[0], std::chrono::steady_clock::now() + timeout, text);
  close(fds[0]);
  if (!finished) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  Expected<FileResult> reported = FileResult{};
  FileResult result;
  result.file = json_path;
  bool complete = finished && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
                  deserialize(text, reported, result);
  if (complete) {
    munmap(shared, sizeof(Progress));
    if (!reported) return reported;
    return result;
  }
  // The child died or hung: keep its counts so far and report where it was.
  result = FileResult{};
  result.file = json_path;
  result.passed = progress->passed;
  result.failed = progress->failed + 1;
  result.skipped = progress->skipped;
  std::string why;
  if (!finished) {
    why = fmt::format("timed out after {} s", timeout.count());
  } else if (WIFSIGNALED(status)) {
    why = fmt::format("crashed with signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  } else {
    why = fmt::format("runner process exited with status {}", WEXITSTATUS(status));
  }
  result.failures.push_back(
      Note{progress->line, progress->command,
           why + "; the rest of the file was not run, earlier failure details are lost"});
  munmap(shared, sizeof(Progress));
  return result;
}

}  // namespace lantern::spectest
