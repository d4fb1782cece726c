// Differential tests: the guests in tests/wasi_diff/guests (C via clang-19 and wasi-libc, Rust
// via Debian's rustc, compiled here) run under `lantern run` and under Node 20's node:wasi
// (tests/wasi_diff/node_wasi.mjs, same options) in two fresh copies of one fixture directory.
// Stdout, stderr, exit code and the directory each leaves behind must be the same. Where Node
// is wrong the spec wins, and the test says why at that spot.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace lantern::testing {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Compiles a guest once per test process: C with clang-19, Rust with Debian's rustc.
std::string guest(const std::string& name) {
  static std::map<std::string, std::string> built;
  auto it = built.find(name);
  if (it != built.end()) return it->second;
  std::string source = std::string(LANTERN_WASI_DIFF_DIR) + "/guests/" + name;
  std::string out = temp_dir() + "/" + name + ".wasm";
  std::string command =
      name.ends_with(".rs")
          ? std::string(LANTERN_RUSTC) + " --target wasm32-wasi -O " + source + " -o " + out
          : std::string(LANTERN_CLANG) + " --target=wasm32-wasi -O2 " + source + " -o " + out;
  std::string output;
  EXPECT_EQ(run_command(command, output), 0) << output;
  return built[name] = out;
}

// The fixture every guest starts from: a file, a directory with two files, a symlink.
fs::path make_fixture(const std::string& name) {
  fs::path root = fs::path(temp_dir()) / name;
  fs::create_directories(root / "dir");
  std::ofstream(root / "input.txt") << "first line\nsecond line\n";
  std::ofstream(root / "dir" / "a.txt") << "a\n";
  std::ofstream(root / "dir" / "b.txt") << "bb\n";
  fs::create_symlink("input.txt", root / "link-to-input");
  return root;
}

// "path type size content-or-target" for everything under `root`, sorted.
std::string tree(const fs::path& root) {
  std::vector<std::string> lines;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    std::string line = e.path().lexically_relative(root).string();
    if (e.is_symlink()) {
      line += " -> " + fs::read_symlink(e.path()).string();
    } else if (e.is_directory()) {
      line += "/";
    } else {
      line += " " + std::to_string(fs::file_size(e.path())) + " " + slurp(e.path());
    }
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const std::string& l : lines) all += l + "\n";
  return all;
}

struct Outcome {
  int exit_code = -1;
  std::string out, err, files;
};

// Runs `runtime` (a command prefix taking lantern's options) on the guest.
Outcome run(const std::string& runtime, const std::string& wasm, const std::string& args,
            const std::string& side, const std::string& stdin_file) {
  fs::path root = make_fixture(side);
  fs::path out = fs::path(temp_dir()) / (side + ".out");
  fs::path err = fs::path(temp_dir()) / (side + ".err");
  std::string command = "timeout -s KILL 60 " + runtime + " --dir " + root.string() +
                        "::/sandbox --env GREETING=hello --env EMPTY= --stdin " + stdin_file + " " +
                        wasm + " " + args + " > " + out.string() + " 2> " + err.string();
  std::string ignored;
  Outcome o;
  o.exit_code = run_command(command, ignored);
  o.out = slurp(out);
  o.err = slurp(err);
  o.files = tree(root);
  return o;
}

std::string stdin_file() {
  std::string path = temp_dir() + "/stdin.txt";
  std::string text;
  for (int i = 0; i < 500; ++i)
    text += "line " + std::to_string(i) + " of the input, Words words\n";
  std::ofstream(path) << text;
  return path;
}

struct Pair {
  Outcome lantern, node;
};

Pair run_both(const std::string& name, const std::string& args) {
  static int counter = 0;
  std::string wasm = guest(name);
  std::string in = stdin_file();
  std::string tag = name + "-" + std::to_string(counter++);
  return {
      run(LANTERN_BINARY + std::string(" run"), wasm, args, tag + "-lantern", in),
      run(std::string(LANTERN_NODE) + " --no-warnings " + LANTERN_WASI_DIFF_DIR + "/node_wasi.mjs",
          wasm, args, tag + "-node", in)};
}

void expect_same(const Pair& p, const std::string& what) {
  EXPECT_EQ(p.lantern.exit_code, p.node.exit_code) << what;
  EXPECT_EQ(p.lantern.out, p.node.out) << what;
  EXPECT_EQ(p.lantern.err, p.node.err) << what;
  EXPECT_EQ(p.lantern.files, p.node.files) << what;
}

TEST(WasiDiff, ArgsAndEnvironment) {
  Pair p = run_both("args_env.c", "first 'with space' '' last");
  expect_same(p, "args_env");
  EXPECT_NE(p.lantern.out.find("[with space]"), std::string::npos) << p.lantern.out;
}

TEST(WasiDiff, ClocksAndRandom) {
  expect_same(run_both("clocks.c", ""), "clocks");
  expect_same(run_both("random.c", ""), "random");
}

TEST(WasiDiff, StdinAndStdio) {
  Pair in = run_both("stdin.c", "");
  expect_same(in, "stdin");
  EXPECT_NE(in.lantern.out.find("bytes"), std::string::npos) << in.lantern.out;
  // stdout and stderr go to files here, so neither is a terminal under either runtime.
  expect_same(run_both("stdio.c", ""), "stdio");
}

TEST(WasiDiff, ExitCodes) {
  for (const char* how : {"return", "exit", "_Exit"}) {
    for (const char* code : {"0", "7", "255"}) {
      Pair p = run_both("exit_codes.c", std::string(how) + " " + code);
      expect_same(p, std::string(how) + " " + code);
      EXPECT_EQ(p.lantern.exit_code, std::stoi(code));
    }
  }
}

TEST(WasiDiff, Files) {
  Pair p = run_both("files.c", "/sandbox");
  // utimensat with nanoseconds: preview1 timestamps are nanoseconds and Lantern keeps them; Node
  // 20 passes them through libuv as double seconds and drops the fraction. The spec wins.
  const std::string exact = "atime 1600000000.123456789 mtime 1700000000.500000000";
  const std::string node_truncated = "atime 1600000000.000000000 mtime 1700000000.000000000";
  EXPECT_NE(p.lantern.out.find(exact), std::string::npos) << p.lantern.out;
  size_t at = p.node.out.find(node_truncated);
  if (at != std::string::npos) p.node.out.replace(at, node_truncated.size(), exact);
  expect_same(p, "files");
  EXPECT_NE(p.lantern.files.find("out/"), std::string::npos) << p.lantern.files;
}

TEST(WasiDiff, Errors) {
  Pair p = run_both("errors.c", "/sandbox");
  expect_same(p, "errors");
  EXPECT_NE(p.lantern.out.find("ENOENT"), std::string::npos) << p.lantern.out;
}

TEST(WasiDiff, RustJob) {
  Pair p = run_both("rust_job.rs", "/sandbox");
  expect_same(p, "rust_job");
  EXPECT_EQ(p.lantern.exit_code, 3);
  EXPECT_NE(p.lantern.files.find("out/counts.txt"), std::string::npos) << p.lantern.files;
}

// What Node cannot be asked (it hangs on these calls): Lantern against the spec alone.
TEST(WasiLanternOnly, DirectoryIoAndRawCalls) {
  std::string wasm = guest("errors.c");
  Outcome o = run(LANTERN_BINARY + std::string(" run"), wasm, "/sandbox dir-io,raw",
                  "errors-lantern-only", stdin_file());
  EXPECT_EQ(o.exit_code, 0) << o.err;
  for (const char* line : {
           "read a directory fd                          -> EISDIR",
           "write a directory fd                         -> EISDIR",
           "fd_close of a bad fd                         -> EBADF",
           "path_open empty path                         -> ENOENT",
           "path_open O_DIRECTORY on a file              -> ENOTDIR",
           "path_filestat_set_times ATIM and ATIM_NOW    -> EINVAL",
           "fd_readdir of a file                         -> ENOTDIR",
       }) {
    EXPECT_NE(o.out.find(line), std::string::npos) << line << "\n" << o.out;
  }
}

}  // namespace
}  // namespace lantern::testing
