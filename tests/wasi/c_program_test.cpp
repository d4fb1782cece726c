// A real wasi-libc program (tests/wasi/wasi_program.c, compiled by clang-19 at test time) runs
// against the WASI host: start-up, argv, environ, stdio, a failing fopen and the exit code.
#include <gtest/gtest.h>

#include <string>

#include "wasi/wasi_harness.h"

namespace lantern::testing {
namespace {

const std::vector<uint8_t>& program_bytes() {
  static const std::vector<uint8_t> bytes = [] {
    std::string out = temp_dir() + "/wasi_program.wasm";
    std::string output;
    int rc = run_command(std::string(LANTERN_CLANG) + " --target=wasm32-wasi -O2 " +
                             LANTERN_WASI_TEST_SOURCES "/wasi_program.c -o " + out,
                         output);
    EXPECT_EQ(rc, 0) << output;
    return read_file(out);
  }();
  return bytes;
}

TEST(WasiCProgram, RunsWithArgsEnvAndStdio) {
  WasiHarness h;
  h.context.args = {"prog", "first"};
  h.context.env = {"LANTERN_TEST=yes"};
  h.context.stdin_data = "piped";
  ASSERT_FALSE(program_bytes().empty());
  h.load(program_bytes());
  auto result = h.call("_start");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(h.out,
            "arg[0]=prog\narg[1]=first\nenv=yes\nstdin=piped\nfopen=failed\nclock=ok\n");
  EXPECT_EQ(h.err, "to stderr\n");
  EXPECT_FALSE(h.context.exit_code.has_value());
}

TEST(WasiCProgram, NonZeroReturnFromMainIsProcExit) {
  WasiHarness h;
  h.context.args = {"prog", "a", "b"};
  ASSERT_FALSE(program_bytes().empty());
  h.load(program_bytes());
  auto result = h.call("_start");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, engine::TrapKind::Exit);
  EXPECT_EQ(result.error().exit_code, 42);
  EXPECT_EQ(h.context.exit_code.value_or(-1), 42);
  EXPECT_NE(h.out.find("env=(unset)"), std::string::npos);
}

}  // namespace
}  // namespace lantern::testing
