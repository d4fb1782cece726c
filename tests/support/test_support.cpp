#include "support/test_support.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace lantern::testing {

std::string temp_dir() {
  static const std::string dir = [] {
    std::string templ = (std::filesystem::temp_directory_path() / "lantern-test-XXXXXX").string();
    const char* made = mkdtemp(templ.data());
    return made ? std::string(made) : std::string("/tmp");
  }();
  return dir;
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int run_command(const std::string& command, std::string& output) {
  output.clear();
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<uint8_t> wat_to_wasm(const std::string& wat) {
  static std::atomic<int> counter{0};
  std::string base = temp_dir() + "/m" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  {
    std::ofstream out(base + ".wat");
    out << wat;
  }
  std::string output;
  int rc = run_command(
      std::string(LANTERN_WAT2WASM) + " --debug-names " + base + ".wat -o " + base + ".wasm",
      output);
  EXPECT_EQ(rc, 0) << "wat2wasm failed:\n" << output << "\n" << wat;
  return read_file(base + ".wasm");
}

}  // namespace lantern::testing
