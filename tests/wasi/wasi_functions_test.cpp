// Each WASI function called directly through a one-import wrapper module.
#include <gtest/gtest.h>

#include "wasi/fd_table.h"
#include "wasi/wasi_harness.h"

namespace lantern::testing {
namespace {

constexpr int32_t kSuccess = 0, kBadf = 8, kFault = 21, kInval = 28, kNosys = 52, kSpipe = 70;
constexpr int64_t kPage = 65536;

TEST(WasiFdWrite, WritesGatheredBuffersToTheSinks) {
  WasiHarness h;
  h.load_wrapper("fd_write", "iiii");
  h.put_bytes(100, "hello, ");
  h.put_bytes(200, "world\n");
  h.put_u32(16, 100), h.put_u32(20, 7), h.put_u32(24, 200), h.put_u32(28, 6);
  EXPECT_EQ(h.run({1, 16, 2, 32}), kSuccess);
  EXPECT_EQ(h.out, "hello, world\n");
  EXPECT_EQ(h.u32_at(32), 13u);
  EXPECT_EQ(h.run({2, 24, 1, 32}), kSuccess);
  EXPECT_EQ(h.err, "world\n");
  EXPECT_EQ(h.u32_at(32), 6u);
}

TEST(WasiFdWrite, WildPointersAreEfaultAndWriteNothing) {
  WasiHarness h;
  h.load_wrapper("fd_write", "iiii");
  h.put_bytes(100, "ok");
  h.put_u32(16, 100), h.put_u32(20, 2);        // good iovec
  h.put_u32(24, kPage - 1), h.put_u32(28, 2);  // runs one byte past the end
  EXPECT_EQ(h.run({1, 16, 2, 32}), kFault);
  EXPECT_EQ(h.run({1, kPage - 4, 1, 32}), kFault);   // iovec array out of bounds
  EXPECT_EQ(h.run({1, -8, 1, 32}), kFault);          // iovec address near 4 GiB
  EXPECT_EQ(h.run({1, 16, 1, kPage - 2}), kFault);   // nwritten out of bounds
  EXPECT_EQ(h.run({1, 16, 0x7fffffff, 32}), kFault); // huge iovec count
  h.put_u32(20, 0xffffffffu);
  EXPECT_EQ(h.run({1, 16, 1, 32}), kFault);  // huge buffer length
  EXPECT_EQ(h.out, "");
}

TEST(WasiFdWrite, BadDescriptorsAndClose) {
  WasiHarness h;
  h.load_wrapper("fd_write", "iiii");
  EXPECT_EQ(h.run({0, 16, 0, 32}), kBadf);
  EXPECT_EQ(h.run({3, 16, 0, 32}), kBadf);
  EXPECT_EQ(h.run({1, 16, 0, 32}), kSuccess);
  EXPECT_TRUE(h.context.fds().close(1));
  EXPECT_EQ(h.run({1, 16, 0, 32}), kBadf);
}

TEST(WasiFdClose, ClosesStdioOnce) {
  WasiHarness h;
  h.load_wrapper("fd_close", "i");
  EXPECT_EQ(h.run({2}), kSuccess);
  EXPECT_EQ(h.context.fds().get(2), nullptr);
  EXPECT_EQ(h.run({2}), kBadf);
  EXPECT_EQ(h.run({7}), kBadf);
}

TEST(WasiFdRead, ReadsStdinDataThenEndOfFile) {
  WasiHarness h;
  h.context.stdin_data = "abcdef";
  h.load_wrapper("fd_read", "iiii");
  h.put_u32(16, 100), h.put_u32(20, 4);
  EXPECT_EQ(h.run({0, 16, 1, 32}), kSuccess);
  EXPECT_EQ(h.u32_at(32), 4u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(h.memory().data + 100), 4), "abcd");
  EXPECT_EQ(h.run({0, 16, 1, 32}), kSuccess);
  EXPECT_EQ(h.u32_at(32), 2u);
  EXPECT_EQ(h.run({0, 16, 1, 32}), kSuccess);
  EXPECT_EQ(h.u32_at(32), 0u);
  EXPECT_EQ(h.run({1, 16, 1, 32}), kBadf);
  h.put_u32(16, kPage - 2);
  EXPECT_EQ(h.run({0, 16, 1, 32}), kFault);
}

TEST(WasiArgs, SizesAndStrings) {
  WasiHarness h;
  h.context.args = {"prog", "a b", ""};
  h.load_wat(R"((module
    (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "args_get" (func $get (param i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "sizes") (param i32 i32) (result i32) local.get 0 local.get 1 call $sizes)
    (func (export "get") (param i32 i32) (result i32) local.get 0 local.get 1 call $get)))");
  auto sizes = h.call("sizes", {engine::Value::i32(0), engine::Value::i32(4)});
  ASSERT_TRUE(sizes);
  EXPECT_EQ(sizes->at(0).as_i32(), kSuccess);
  EXPECT_EQ(h.u32_at(0), 3u);
  EXPECT_EQ(h.u32_at(4), 5u + 4u + 1u);
  auto get = h.call("get", {engine::Value::i32(64), engine::Value::i32(128)});
  ASSERT_TRUE(get);
  EXPECT_EQ(get->at(0).as_i32(), kSuccess);
  EXPECT_EQ(h.u32_at(64), 128u);
  EXPECT_EQ(h.string_at(h.u32_at(64)), "prog");
  EXPECT_EQ(h.string_at(h.u32_at(68)), "a b");
  EXPECT_EQ(h.string_at(h.u32_at(72)), "");
  EXPECT_EQ(h.u32_at(72), 128u + 9u);
  // The string buffer would run past the end of memory.
  auto wild = h.call("get", {engine::Value::i32(64), engine::Value::i32(kPage - 5)});
  ASSERT_TRUE(wild);
  EXPECT_EQ(wild->at(0).as_i32(), kFault);
}

TEST(WasiEnviron, SizesAndStrings) {
  WasiHarness h;
  h.context.env = {"A=1", "PATH=/x"};
  h.load_wrapper("environ_sizes_get", "ii");
  EXPECT_EQ(h.run({0, 4}), kSuccess);
  EXPECT_EQ(h.u32_at(0), 2u);
  EXPECT_EQ(h.u32_at(4), 4u + 8u);
  EXPECT_EQ(h.run({0, kPage - 2}), kFault);
}

TEST(WasiEnviron, GetWritesPointersAndStrings) {
  WasiHarness h;
  h.context.env = {"A=1", "PATH=/x"};
  h.load_wrapper("environ_get", "ii");
  EXPECT_EQ(h.run({0, 64}), kSuccess);
  EXPECT_EQ(h.string_at(h.u32_at(0)), "A=1");
  EXPECT_EQ(h.string_at(h.u32_at(4)), "PATH=/x");
  EXPECT_EQ(h.run({kPage - 4, 64}), kFault);
}

TEST(WasiClock, TimeAndResolution) {
  WasiHarness h;
  h.load_wrapper("clock_time_get", "iIi");
  EXPECT_EQ(h.run({0, 1, 8}, "iIi"), kSuccess);
  EXPECT_GT(h.u64_at(8), uint64_t{1'600'000'000} * 1'000'000'000u);  // after 2020
  EXPECT_EQ(h.run({1, 1, 16}, "iIi"), kSuccess);
  uint64_t first = h.u64_at(16);
  EXPECT_EQ(h.run({1, 1, 16}, "iIi"), kSuccess);
  EXPECT_GE(h.u64_at(16), first);
  EXPECT_EQ(h.run({9, 1, 16}, "iIi"), kInval);
  EXPECT_EQ(h.run({1, 1, kPage - 7}, "iIi"), kFault);
}

TEST(WasiClock, Resolution) {
  WasiHarness h;
  h.load_wrapper("clock_res_get", "ii");
  EXPECT_EQ(h.run({1, 8}), kSuccess);
  EXPECT_GT(h.u64_at(8), 0u);
  EXPECT_EQ(h.run({1, -1}), kFault);
}

TEST(WasiRandom, FillsTheBufferAndChecksBounds) {
  WasiHarness h;
  h.load_wrapper("random_get", "ii");
  EXPECT_EQ(h.run({100, 64}), kSuccess);
  bool any_nonzero = false;
  for (int i = 0; i < 64; ++i) any_nonzero |= h.memory().data[100 + i] != 0;
  EXPECT_TRUE(any_nonzero);
  EXPECT_EQ(h.run({kPage - 10, 11}), kFault);
  EXPECT_EQ(h.run({kPage, 0}), kSuccess);
}

TEST(WasiFdstat, StdioIsACharacterDevice) {
  WasiHarness h;
  h.load_wrapper("fd_fdstat_get", "ii");
  EXPECT_EQ(h.run({1, 8}), kSuccess);
  EXPECT_EQ(h.memory().data[8], 2);  // character device
  EXPECT_NE(h.u64_at(16) & (1u << 6), 0u);  // may write
  EXPECT_EQ(h.run({4, 8}), kBadf);
  EXPECT_EQ(h.run({0, kPage - 23}), kFault);
}

TEST(WasiPrestat, ThereAreNoPreopens) {
  WasiHarness h;
  h.load_wrapper("fd_prestat_get", "ii");
  EXPECT_EQ(h.run({3, 8}), kBadf);
}

TEST(WasiSeek, StdioIsNotSeekable) {
  WasiHarness h;
  h.load_wrapper("fd_seek", "iIii");
  EXPECT_EQ(h.run({1, 0, 0, 8}, "iIii"), kSpipe);
  EXPECT_EQ(h.run({5, 0, 0, 8}, "iIii"), kBadf);
}

TEST(WasiSockets, AnswerEnotsupOrEbadf) {
  WasiHarness h;
  h.load_wrapper("sock_shutdown", "ii");
  EXPECT_EQ(h.run({1, 0}), 58);  // ENOTSUP: stdout is no socket
  EXPECT_EQ(h.run({9, 0}), kBadf);
}

TEST(WasiSchedYield, Succeeds) {
  WasiHarness h;
  h.load_wrapper("sched_yield", "");
  EXPECT_EQ(h.run({}), kSuccess);
}

TEST(WasiProcExit, TrapsWithTheExitCode) {
  WasiHarness h;
  h.load_wat(wasi_wrapper_wat("proc_exit", "i", /*has_result=*/false));
  auto result = h.call("run", {engine::Value::i32(7)});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, engine::TrapKind::Exit);
  EXPECT_EQ(result.error().exit_code, 7);
  ASSERT_TRUE(h.context.exit_code.has_value());
  EXPECT_EQ(*h.context.exit_code, 7);
}

TEST(WasiMemory, AModuleWithoutMemoryGetsEfault) {
  WasiHarness h;
  h.load_wat(R"((module
    (import "wasi_snapshot_preview1" "random_get" (func $f (param i32 i32) (result i32)))
    (func (export "run") (result i32) i32.const 0 i32.const 4 call $f)))");
  auto result = h.call("run");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->at(0).as_i32(), kFault);
}

}  // namespace
}  // namespace lantern::testing
