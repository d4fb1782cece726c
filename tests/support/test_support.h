// Helpers shared by the tests: assemble .wat text with Debian wabt's wat2wasm.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lantern::testing {

// Assembles WAT text (wat2wasm, default Wasm 2.0 features). Fails the current test on assembler
// errors.
std::vector<uint8_t> wat_to_wasm(const std::string& wat);
std::vector<uint8_t> read_file(const std::string& path);
// Runs a shell command, returns its exit status and captures stdout+stderr into `output`.
int run_command(const std::string& command, std::string& output);
std::string temp_dir();  // a fresh directory under /tmp for this test process

}  // namespace lantern::testing
