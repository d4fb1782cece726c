// Every preview1 function called with random arguments over random memory (fixed seeds, bounded
// counts): the host never crashes, never traps (an errno is always the answer), never answers a
// number outside preview1's errno range, and nothing outside the preopen changes.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "wasi/wasi_harness.h"

namespace lantern::testing {
namespace {

namespace fs = std::filesystem;

struct Signature {
  const char* name;
  const char* params;  // 'i' = i32, 'I' = i64
};

constexpr Signature kFunctions[] = {
    {"args_get", "ii"},
    {"args_sizes_get", "ii"},
    {"environ_get", "ii"},
    {"environ_sizes_get", "ii"},
    {"clock_res_get", "ii"},
    {"clock_time_get", "iIi"},
    {"fd_advise", "iIIi"},
    {"fd_allocate", "iII"},
    {"fd_close", "i"},
    {"fd_datasync", "i"},
    {"fd_fdstat_get", "ii"},
    {"fd_fdstat_set_flags", "ii"},
    {"fd_fdstat_set_rights", "iII"},
    {"fd_filestat_get", "ii"},
    {"fd_filestat_set_size", "iI"},
    {"fd_filestat_set_times", "iIIi"},
    {"fd_pread", "iiiIi"},
    {"fd_prestat_get", "ii"},
    {"fd_prestat_dir_name", "iii"},
    {"fd_pwrite", "iiiIi"},
    {"fd_read", "iiii"},
    {"fd_readdir", "iiiIi"},
    {"fd_renumber", "ii"},
    {"fd_seek", "iIii"},
    {"fd_sync", "i"},
    {"fd_tell", "ii"},
    {"fd_write", "iiii"},
    {"path_create_directory", "iii"},
    {"path_filestat_get", "iiiii"},
    {"path_filestat_set_times", "iiiiIIi"},
    {"path_link", "iiiiiii"},
    {"path_open", "iiiiiIIii"},
    {"path_readlink", "iiiiii"},
    {"path_remove_directory", "iii"},
    {"path_rename", "iiiiii"},
    {"path_symlink", "iiiii"},
    {"path_unlink_file", "iii"},
    {"poll_oneoff", "iiii"},
    {"random_get", "ii"},
    {"sched_yield", ""},
    {"sock_accept", "iii"},
    {"sock_recv", "iiiiii"},
    {"sock_send", "iiiii"},
    {"sock_shutdown", "ii"},
};

// Mostly plausible values (small descriptors, in-bounds pointers, short lengths), sometimes wild.
int64_t random_arg(std::mt19937_64& rng, char type, size_t position) {
  uint64_t r = rng();
  switch (r % 8) {
    case 0: return static_cast<int64_t>(rng());                          // anything
    case 1: return static_cast<int64_t>(65536 - (rng() % 64));           // the end of memory
    case 2: return type == 'I' ? -1 : static_cast<int32_t>(0xFFFFFFF0);  // near the top
    default:
      if (position == 0) return static_cast<int64_t>(rng() % 8);  // a descriptor
      return static_cast<int64_t>(rng() % (r % 2 ? 64 : 65536));  // a length or a pointer
  }
}

// Memory filled with path-ish bytes, so that random pointers find "../", "/", "." and names.
void scramble(engine::MemInst& memory, std::mt19937_64& rng) {
  static constexpr char kBytes[] = "..//aab.c\0\x01\xff../x";
  for (uint32_t i = 0; i + 8 <= memory.size; i += 8) {
    uint64_t r = rng();
    for (int b = 0; b < 8; ++b, r >>= 8) {
      uint8_t v = static_cast<uint8_t>(r);
      memory.data[i + b] = v < 96 ? v : static_cast<uint8_t>(kBytes[v % (sizeof kBytes - 1)]);
    }
  }
}

std::string snapshot(const fs::path& dir) {
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    all += e.path().string() + (e.is_regular_file() ? std::to_string(fs::file_size(e)) : "") + "\n";
  }
  return all;
}

TEST(WasiRobustness, RandomCallsNeverCrashTrapOrEscape) {
  fs::path base = fs::path(temp_dir()) / "robust";
  fs::create_directories(base / "sandbox" / "sub");
  std::ofstream(base / "sandbox" / "file") << "inside";
  std::ofstream(base / "outside.txt") << "do not touch";
  fs::create_directories(base / "next-door");
  std::ofstream(base / "next-door" / "x") << "neighbour";
  std::string outside_before =
      snapshot(base / "next-door") + std::to_string(fs::file_size(base / "outside.txt"));

  for (const Signature& sig : kFunctions) {
    std::mt19937_64 rng(std::hash<std::string_view>{}(sig.name));
    WasiHarness h;
    h.context.args = {"prog", "a"};
    h.context.stdin_data = "stdin bytes";
    ASSERT_TRUE(h.context.preopen((base / "sandbox").string(), "/sandbox"));
    h.load_wrapper(sig.name, sig.params);
    for (int round = 0; round < 200; ++round) {
      scramble(h.memory(), rng);
      std::vector<int64_t> args;
      for (size_t i = 0; sig.params[i]; ++i) args.push_back(random_arg(rng, sig.params[i], i));
      // A random poll may ask for a sleep of centuries: an interrupt ends it after 5 ms.
      bool is_poll = std::string_view(sig.name) == "poll_oneoff";
      std::atomic<bool> done{false};
      std::thread watchdog;
      if (is_poll) {
        watchdog = std::thread([&] {
          for (int i = 0; i < 5 && !done; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          if (!done) h.store.interrupt_flag() = true;
        });
      }
      std::vector<engine::Value> values;
      for (size_t i = 0; i < args.size(); ++i) {
        values.push_back(sig.params[i] == 'I' ? engine::Value::i64(args[i])
                                              : engine::Value::i32(static_cast<int32_t>(args[i])));
      }
      auto result = h.call("run", values);
      done = true;
      if (watchdog.joinable()) watchdog.join();
      bool interrupted = !result && result.error().kind == engine::TrapKind::Interrupted;
      h.store.interrupt_flag() = false;
      if (interrupted && is_poll) continue;
      ASSERT_TRUE(result) << sig.name << " trapped: " << result.error().message;
      int32_t errno_value = result->at(0).as_i32();
      ASSERT_GE(errno_value, 0) << sig.name;
      ASSERT_LE(errno_value, 76) << sig.name;
    }
  }
  EXPECT_EQ(snapshot(base / "next-door") + std::to_string(fs::file_size(base / "outside.txt")),
            outside_before);
}

}  // namespace
}  // namespace lantern::testing
