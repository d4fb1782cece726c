// tests/wasi/preview1_checks.c, compiled by clang-19 at test time, makes raw preview1 calls
// against a read-write and a read-only preopen; every errno and value it prints is checked, and
// so is the host tree around and under the preopens afterwards.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "wasi/wasi_harness.h"

namespace lantern::testing {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> compile_checks() {
  std::string out = temp_dir() + "/preview1_checks.wasm";
  std::string output;
  int rc = run_command(std::string(LANTERN_CLANG) + " --target=wasm32-wasi -O2 " +
                           LANTERN_WASI_TEST_SOURCES "/preview1_checks.c -o " + out,
                       output);
  EXPECT_EQ(rc, 0) << output;
  return read_file(out);
}

// "name type size" for every entry below `root`, sorted: a fingerprint of a host tree.
std::string tree(const fs::path& root) {
  std::vector<std::string> lines;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    std::string type = e.is_symlink() ? "link" : e.is_directory() ? "dir" : "file";
    std::string size =
        e.is_regular_file() && !e.is_symlink() ? std::to_string(fs::file_size(e.path())) : "-";
    lines.push_back(e.path().lexically_relative(root).string() + " " + type + " " + size);
  }
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const std::string& l : lines) all += l + "\n";
  return all;
}

const char* kExpected = R"(prestat 3: 0
prestat 3 len: 3
prestat name 3: 0
prestat name: /rw
prestat name short: 37
prestat 1: 8
prestat 9: 8
open ../x: 76
open /etc/passwd: 76
open sub/../../x: 76
symlink absolute: 63
symlink up: 63
symlink inside: 0
rename out: 76
link out: 76
mkdir out: 76
ro open read: 0
ro open write: 69
ro create: 69
ro truncate: 69
ro mkdir: 69
ro unlink: 69
ro rmdir: 69
ro rename: 69
ro rename to rw: 69
ro symlink: 69
ro link: 69
ro times: 69
open listing: 0
readdir: 0
dirent . next=1 type=3
dirent .. next=2 type=3
dirent a next=3 type=4
dirent bb next=4 type=4
readdir small: 0
small used: 30
readdir past end: 0
past end used: 0
readdir on file: 54
open: 0
fdstat: 0
filetype 4 rights 6
write without right: 8
drop seek: 0
seek without right: 76
regain seek: 76
open sub: 0
renumber: 0
read renumbered: 0
read 1 'h'
old number closed: 8
renumber bad: 8
create: 0
pwrite: 0
tell: 0
tell after pwrite: 0
pread: 0
pread 4 2345
allocate: 0
filestat: 0
size 100 type 4
set size: 0
set times: 0
set times both: 28
path filestat: 0
size 3 mtime 86400000000000
advise: 0
advise bad: 28
pread stdin: 70
sync: 0
datasync: 0
clock: 0
poll clock: 0
clock: 0
events 1 userdata 11 type 0 slept enough 1
poll fds: 0
event 22 error 0 type 1 nbytes 11
event 33 error 8 type 2 nbytes 0
poll none: 28
)";

TEST(WasiPreview1, RawCallsAgainstReadWriteAndReadOnlyPreopens) {
  fs::path base = fs::path(temp_dir()) / "preview1";
  fs::create_directories(base / "rw" / "sub");
  fs::create_directories(base / "rw" / "listing");
  fs::create_directories(base / "ro" / "sub");
  std::ofstream(base / "rw" / "file") << "hello\n";
  std::ofstream(base / "rw" / "listing" / "a");
  std::ofstream(base / "rw" / "listing" / "bb");
  std::ofstream(base / "ro" / "data") << "data\n";
  std::ofstream(base / "outside") << "untouched\n";
  const std::string ro_before = tree(base / "ro");

  WasiHarness h;
  h.context.stdin_data = "stdin-bytes";
  ASSERT_TRUE(h.context.preopen((base / "rw").string(), "/rw"));
  ASSERT_TRUE(h.context.preopen((base / "ro").string(), "/ro", /*read_only=*/true));
  h.load(compile_checks());
  auto result = h.call("_start");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(h.out, kExpected);

  EXPECT_EQ(tree(base / "ro"), ro_before) << "nothing under the read-only preopen changed";
  EXPECT_EQ(tree(base),
            "outside file 10\n"
            "ro dir -\nro/data file 5\nro/sub dir -\n"
            "rw dir -\nrw/file file 6\nrw/in link -\nrw/listing dir -\nrw/listing/a file 0\n"
            "rw/listing/bb file 0\nrw/pos file 3\nrw/sub dir -\n")
      << "only the guest's own files appeared, and only inside /rw";
  EXPECT_EQ(fs::read_symlink(base / "rw" / "in"), "sub/../file");
}

}  // namespace
}  // namespace lantern::testing
