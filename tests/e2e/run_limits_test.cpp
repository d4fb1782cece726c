// `lantern run` limits and sandbox options end to end: --timeout, --max-memory, --dir, --stdin,
// --inherit-env, and the errors each gives for bad values.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "support/test_support.h"

namespace lantern::testing {
namespace {

int lantern(const std::string& args, std::string& output) {
  // `timeout` bounds the test should the guest not stop (exit 137, never Lantern's 124).
  return run_command("timeout -s KILL 60 " + std::string(LANTERN_BINARY) + " " + args, output);
}

std::string write_file(const std::string& name, const std::string& contents) {
  std::string path = temp_dir() + "/" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

std::string module_file(const std::string& name, const std::string& wat) {
  std::vector<uint8_t> bytes = wat_to_wasm(wat);
  return write_file(name + ".wasm", std::string(bytes.begin(), bytes.end()));
}

const char* kBusy = R"((module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $spin (export "spin") (loop $l (br $l)))
  (func $ping (export "ping") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (call $pong (i32.sub (local.get 0) (i32.const 1))))))
  (func $pong (param i32) (result i32) (call $ping (local.get 0)))
  ;; calls without loops: 2^n calls of fib, no backward branch anywhere
  (func $fib (export "fib") (param i64) (result i64)
    (if (result i64) (i64.lt_u (local.get 0) (i64.const 2)) (then (local.get 0))
      (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1)))
                     (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
  (func (export "sleep") (result i32)  ;; one relative clock subscription of 1000 s
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const 1000000000000))
    (call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))
  (func (export "_start") (call $spin)))
)";

TEST(RunLimits, TimeoutStopsLoopsCallsAndSleepsWithExitCode124) {
  std::string path = module_file("busy", kBusy);
  std::string output;
  for (const char* invoke : {"spin", "sleep"}) {
    EXPECT_EQ(lantern("run --timeout 50ms --invoke " + std::string(invoke) + " " + path, output),
              124)
        << invoke << ": " << output;
    EXPECT_NE(output.find("timeout: the guest ran longer than --timeout 50ms"), std::string::npos)
        << output;
    EXPECT_NE(output.find(invoke), std::string::npos) << "backtrace names the function";
  }
  // fib(90) would make ~10^18 calls; only the poll on calls can stop it.
  EXPECT_EQ(lantern("run --timeout 50ms --invoke fib " + path + " 90", output), 124) << output;
  EXPECT_NE(output.find("fib (func["), std::string::npos) << output;
  EXPECT_EQ(lantern("run --timeout 0.05 " + path, output), 124) << "_start, bare seconds";
}

TEST(RunLimits, TimeoutDoesNotFireForQuickGuests) {
  std::string path = module_file("busy", kBusy);
  std::string output;
  EXPECT_EQ(lantern("run --timeout 1m --invoke fib " + path + " 20", output), 0) << output;
  EXPECT_EQ(output, "6765\n");
}

TEST(RunLimits, MaxMemoryMakesGrowFail) {
  std::string path = module_file("grow", R"((module (memory 1)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))))");
  std::string output;
  EXPECT_EQ(lantern("run --max-memory 2MiB --invoke grow " + path + " 31", output), 0);
  EXPECT_EQ(output, "1\n");
  EXPECT_EQ(lantern("run --max-memory 2MiB --invoke grow " + path + " 32", output), 0);
  EXPECT_EQ(output, "-1\n") << "33 pages exceed 2 MiB";
  EXPECT_EQ(lantern("run --max-memory 131072 --invoke grow " + path + " 1", output), 0);
  EXPECT_EQ(output, "1\n");
}

TEST(RunLimits, InitialMemoryAboveTheLimitIsAnError) {
  std::string path = module_file("big", "(module (memory 64) (func (export \"_start\")))");
  std::string output;
  EXPECT_EQ(lantern("run --max-memory 1MiB " + path, output), 1);
  EXPECT_NE(output.find("limit"), std::string::npos) << output;
}

TEST(RunLimits, BadOptionValuesAreNamed) {
  std::string path = module_file("busy", kBusy);
  std::string output;
  EXPECT_EQ(lantern("run --timeout soon " + path, output), 1);
  EXPECT_NE(output.find("--timeout 'soon' is not a duration"), std::string::npos) << output;
  EXPECT_EQ(lantern("run --timeout 5parsecs " + path, output), 1);
  EXPECT_NE(output.find("unknown duration unit 'parsecs'"), std::string::npos) << output;
  EXPECT_EQ(lantern("run --max-memory lots " + path, output), 1);
  EXPECT_NE(output.find("--max-memory 'lots' is not a size"), std::string::npos) << output;
  EXPECT_EQ(lantern("run --dir " + temp_dir() + "/missing::/x " + path, output), 1);
  EXPECT_NE(output.find("cannot preopen directory"), std::string::npos) << output;
  EXPECT_EQ(lantern("run --dir ::/x " + path, output), 1);
  EXPECT_NE(output.find("expected HOST[::GUEST][:ro]"), std::string::npos) << output;
  EXPECT_EQ(lantern("run --env NOEQUALS " + path, output), 1);
  EXPECT_NE(output.find("expected KEY=VALUE"), std::string::npos) << output;
  EXPECT_EQ(lantern("run --stdin " + temp_dir() + "/none.txt " + path, output), 1);
  EXPECT_NE(output.find("--stdin"), std::string::npos) << output;
}

// A guest that copies stdin to stdout and prints its environment, one entry per line.
const char* kCat = R"((module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $env (param i32 i32) (result i32)))
  (memory (export "memory") 2)
  (func (export "_start") (local $n i32) (local $i i32) (local $p i32)
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 4096))
    (block $eof (loop $more
      (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
      (br_if $eof (i32.eqz (i32.load (i32.const 8))))
      (i32.store (i32.const 4) (i32.load (i32.const 8)))
      (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (i32.store (i32.const 4) (i32.const 4096))
      (br $more)))
    (drop (call $sizes (i32.const 16) (i32.const 20)))
    (drop (call $env (i32.const 8192) (i32.const 65536)))
    ;; the strings are contiguous and NUL-separated: turn NULs into newlines, write them all
    (local.set $n (i32.load (i32.const 20)))
    (block $done (loop $nul
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $p (i32.add (i32.const 65536) (local.get $i)))
      (if (i32.eqz (i32.load8_u (local.get $p))) (then (i32.store8 (local.get $p) (i32.const 10))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $nul)))
    (i32.store (i32.const 0) (i32.const 65536))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
)";

TEST(RunOptions, StdinFileAndHostStdin) {
  std::string path = module_file("cat", kCat);
  std::string input = write_file("input.txt", std::string(10000, 'x') + "end\n");
  std::string output;
  EXPECT_EQ(lantern("run --stdin " + input + " " + path, output), 0) << output;
  EXPECT_EQ(output, std::string(10000, 'x') + "end\n");
  EXPECT_EQ(run_command("printf piped | " + std::string(LANTERN_BINARY) + " run " + path, output),
            0);
  EXPECT_EQ(output, "piped");
}

TEST(RunOptions, InheritEnvWithOverrides) {
  std::string path = module_file("cat", kCat);
  std::string output;
  std::string cmd = "LANTERN_E2E_A=host LANTERN_E2E_B=host " + std::string(LANTERN_BINARY) +
                    " run --stdin /dev/null";
  EXPECT_EQ(run_command(cmd + " --env LANTERN_E2E_B=flag " + path, output), 0);
  EXPECT_EQ(output, "LANTERN_E2E_B=flag\n") << "without --inherit-env only --env is passed";
  EXPECT_EQ(run_command(cmd + " --inherit-env --env LANTERN_E2E_B=flag " + path, output), 0);
  EXPECT_NE(output.find("LANTERN_E2E_A=host\n"), std::string::npos) << output;
  EXPECT_NE(output.find("LANTERN_E2E_B=flag\n"), std::string::npos) << output;
  EXPECT_EQ(output.find("LANTERN_E2E_B=host"), std::string::npos) << "--env wins";
}

TEST(RunOptions, HelpDocumentsEveryOption) {
  std::string output;
  EXPECT_EQ(lantern("run --help", output), 0);
  for (const char* option : {"--dir", "--env", "--inherit-env", "--invoke", "--max-memory",
                             "--timeout", "--stdin", "HOST[::GUEST][:ro]", "124"}) {
    EXPECT_NE(output.find(option), std::string::npos) << option;
  }
}

}  // namespace
}  // namespace lantern::testing
