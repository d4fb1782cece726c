// `lantern run` end to end: the real binary on small modules, checking output and exit codes.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "support/test_support.h"

namespace lantern::testing {
namespace {

std::string write_module(const std::string& name, const std::vector<uint8_t>& bytes) {
  std::string path = temp_dir() + "/" + name + ".wasm";
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return path;
}

int lantern(const std::string& args, std::string& output) {
  return run_command(std::string(LANTERN_BINARY) + " " + args, output);
}

const char* kHello = R"((module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "\10\00\00\00\06\00\00\00")
  (data (i32.const 16) "hello\n")
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 32)))
    (call $proc_exit (i32.const 3)))
  (func (export "add") (param i32 i64) (result i64)
    (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1)))
  (func $inner (unreachable))
  (func $outer (call $inner))
  (func (export "crash") (call $outer)))
)";

TEST(RunCommand, RunsStartAndExitsWithProcExitCode) {
  std::string path = write_module("hello", wat_to_wasm(kHello));
  std::string output;
  EXPECT_EQ(lantern("run " + path, output), 3);
  EXPECT_EQ(output, "hello\n");
}

TEST(RunCommand, InvokePrintsResults) {
  std::string path = write_module("hello", wat_to_wasm(kHello));
  std::string output;
  EXPECT_EQ(lantern("run --invoke add " + path + " -2 5000000000", output), 0) << output;
  EXPECT_EQ(output, "4999999998\n");
  EXPECT_EQ(lantern("run --invoke add " + path + " 1", output), 1);
  EXPECT_NE(output.find("expects 2 argument(s)"), std::string::npos) << output;
  EXPECT_EQ(lantern("run --invoke add " + path + " x 1", output), 1);
  EXPECT_NE(output.find("not a valid i32"), std::string::npos) << output;
}

TEST(RunCommand, TrapPrintsMessageAndBacktrace) {
  std::string path = write_module("hello", wat_to_wasm(kHello));
  std::string output;
  EXPECT_EQ(lantern("run --invoke crash " + path, output), 1);
  EXPECT_NE(output.find("Error: unreachable"), std::string::npos) << output;
  EXPECT_NE(output.find("Backtrace:"), std::string::npos) << output;
}

TEST(RunCommand, DecodeErrorsAreReported) {
  std::string path = write_module("garbage", {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00});
  std::string output;
  EXPECT_EQ(lantern("run " + path, output), 1);
  EXPECT_NE(output.find("Error: decode error"), std::string::npos) << output;
}

TEST(RunCommand, MissingStartAndMissingFile) {
  std::string path = write_module("lib", wat_to_wasm("(module (func (export \"f\")))"));
  std::string output;
  EXPECT_EQ(lantern("run " + path, output), 1);
  EXPECT_NE(output.find("_start"), std::string::npos) << output;
  EXPECT_EQ(lantern("run " + temp_dir() + "/does-not-exist.wasm", output), 1);
  EXPECT_NE(output.find("cannot read"), std::string::npos) << output;
}

TEST(RunCommand, PassesArgsAndEnvironment) {
  // Prints argv[1] then the first environment entry, using args_get/environ_get.
  std::string path = write_module("echo", wat_to_wasm(R"((module
    (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func $strlen (param $p i32) (result i32) (local $n i32)
      (block $done (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
      (local.get $n))
    (func $print (param $p i32)
      (i32.store (i32.const 0) (local.get $p))
      (i32.store (i32.const 4) (call $strlen (local.get $p)))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
    (func (export "_start")
      (drop (call $args_get (i32.const 100) (i32.const 1000)))
      (call $print (i32.load (i32.const 104)))
      (drop (call $environ_get (i32.const 200) (i32.const 2000)))
      (call $print (i32.load (i32.const 200)))))
  )"));
  std::string output;
  EXPECT_EQ(lantern("run --env GREETING=hi " + path + " --flag", output), 0) << output;
  EXPECT_EQ(output, "--flagGREETING=hi");
}

}  // namespace
}  // namespace lantern::testing
