// The sandbox's path resolver against a real directory tree: every way out is refused, also
// while another thread swaps directories for symlinks underneath it.
#include "wasi/path_resolver.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "support/test_support.h"

namespace lantern::testing {
namespace {

using wasi::Errno;
using wasi::resolve_path;

// root/ holds dir/, dir/file, file and links; outside/ holds secret. root is what the guest sees.
class ResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = temp_dir() + "/" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    root_ = base_ + "/root";
    ASSERT_EQ(::mkdir(base_.c_str(), 0755), 0);
    ASSERT_EQ(::mkdir(root_.c_str(), 0755), 0);
    ASSERT_EQ(::mkdir((root_ + "/dir").c_str(), 0755), 0);
    ASSERT_EQ(::mkdir((base_ + "/outside").c_str(), 0755), 0);
    std::ofstream(root_ + "/file") << "inside";
    std::ofstream(root_ + "/dir/file") << "inside";
    std::ofstream(base_ + "/outside/secret") << "secret";
    root_fd_ = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(root_fd_, 0);
  }
  void TearDown() override { ::close(root_fd_); }

  void link(const std::string& target, const std::string& name) {
    ASSERT_EQ(::symlink(target.c_str(), (root_ + "/" + name).c_str()), 0) << name;
  }
  Errno error_of(std::string_view path, bool follow = true) {
    auto r = resolve_path(root_fd_, path, follow);
    return r ? Errno::Success : r.error();
  }
  // Opens what `path` resolves to and returns its contents ("" when it cannot).
  std::string read(std::string_view path) {
    auto r = resolve_path(root_fd_, path, true);
    if (!r) return "";
    int fd = ::openat(r->dir_fd, r->name.c_str(), O_RDONLY | O_NOFOLLOW);
    if (fd < 0) return "";
    char buf[64];
    ssize_t n = ::read(fd, buf, sizeof buf);
    ::close(fd);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }

  std::string base_, root_;
  int root_fd_ = -1;
};

TEST_F(ResolverTest, ResolvesInsidePaths) {
  EXPECT_EQ(read("file"), "inside");
  EXPECT_EQ(read("dir/file"), "inside");
  EXPECT_EQ(read("./dir/../dir//file"), "inside");
  link("dir/file", "rel");
  link("../file", "dir/up");
  EXPECT_EQ(read("rel"), "inside");
  EXPECT_EQ(read("dir/up"), "inside");
  auto r = resolve_path(root_fd_, "dir/..", true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, ".");
  EXPECT_EQ(r->dir_fd, root_fd_);
  auto created = resolve_path(root_fd_, "dir/new-file", true);
  ASSERT_TRUE(created) << "a missing last component may be created";
  EXPECT_EQ(created->name, "new-file");
  EXPECT_EQ(created->depth, 1u);
}

TEST_F(ResolverTest, RefusesEveryWayOut) {
  link("../outside/secret", "rel-out");
  link(base_ + "/outside/secret", "abs-out");
  link("../outside", "dir-out");
  link("../../outside/secret", "dir/deep-out");
  EXPECT_EQ(error_of(".."), Errno::Notcapable);
  EXPECT_EQ(error_of("../outside/secret"), Errno::Notcapable);
  EXPECT_EQ(error_of("dir/../../outside/secret"), Errno::Notcapable);
  EXPECT_EQ(error_of(base_ + "/outside/secret"), Errno::Notcapable);
  EXPECT_EQ(error_of("/etc/passwd"), Errno::Notcapable);
  EXPECT_EQ(error_of("rel-out"), Errno::Notcapable);
  EXPECT_EQ(error_of("abs-out"), Errno::Notcapable);
  EXPECT_EQ(error_of("dir-out/secret"), Errno::Notcapable);
  EXPECT_EQ(error_of("dir/deep-out"), Errno::Notcapable);
  // Not following the last component names the link itself, which stays inside.
  EXPECT_EQ(error_of("abs-out", /*follow=*/false), Errno::Success);
  EXPECT_EQ(read("rel-out"), "");
}

TEST_F(ResolverTest, LoopsLongNamesAndOddPaths) {
  link("loop-b", "loop-a");
  link("loop-a", "loop-b");
  link("self/x", "self");
  EXPECT_EQ(error_of("loop-a"), Errno::Loop);
  EXPECT_EQ(error_of("self"), Errno::Loop);
  EXPECT_EQ(error_of(std::string(256, 'n')), Errno::Nametoolong);
  EXPECT_EQ(error_of(std::string(5000, 'a')), Errno::Nametoolong);
  std::string deep;
  for (int i = 0; i < 500; ++i) deep += "dir/../";
  EXPECT_EQ(read(deep + "file"), "inside") << "long but legal";
  EXPECT_EQ(error_of(""), Errno::Noent);
  EXPECT_EQ(error_of(std::string("fi\0le", 5)), Errno::Inval);
  EXPECT_EQ(error_of("file/x"), Errno::Notdir);
  EXPECT_EQ(error_of("missing/x"), Errno::Noent);
  auto r = resolve_path(root_fd_, "dir/", false);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->must_be_directory);
}

TEST_F(ResolverTest, SymlinkTargetsMustStayInsideToBeCreated) {
  EXPECT_TRUE(wasi::symlink_target_stays_inside("dir/file", 0));
  EXPECT_TRUE(wasi::symlink_target_stays_inside("../file", 1));
  EXPECT_FALSE(wasi::symlink_target_stays_inside("../file", 0));
  EXPECT_FALSE(wasi::symlink_target_stays_inside("dir/../../x", 0));
  EXPECT_FALSE(wasi::symlink_target_stays_inside("/etc/passwd", 3));
  EXPECT_FALSE(wasi::symlink_target_stays_inside("", 0));
}

// A second thread keeps replacing dir/ with a symlink to outside/ and back. Whatever the
// interleaving, resolving "dir/secret" must never reach the outside file.
TEST_F(ResolverTest, RacingSymlinkSwapsNeverEscape) {
  std::ofstream(root_ + "/dir/secret") << "inside";
  std::atomic<bool> stop{false};
  std::string dir = root_ + "/dir", parked = root_ + "/parked", out = base_ + "/outside";
  std::thread swapper([&] {
    for (int i = 0; i < 20000 && !stop.load(); ++i) {
      std::rename(dir.c_str(), parked.c_str());
      ::symlink(out.c_str(), dir.c_str());
      ::unlink(dir.c_str());
      std::rename(parked.c_str(), dir.c_str());
    }
  });
  for (int i = 0; i < 20000; ++i) {
    std::string got = read("dir/secret");
    if (got == "secret") {
      stop = true;
      swapper.join();
      FAIL() << "escaped on attempt " << i;
    }
  }
  stop = true;
  swapper.join();
  // How often the legitimate path won a race depends on scheduling; once the swapping stops it
  // must work again.
  EXPECT_EQ(read("dir/secret"), "inside");
}

}  // namespace
}  // namespace lantern::testing
