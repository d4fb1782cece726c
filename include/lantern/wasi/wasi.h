// A minimal WASI preview1 host ("wasi_snapshot_preview1"): arguments, environment, clocks,
// randomness, stdio and proc_exit. Everything else in preview1 is defined but answers ENOSYS, so
// any preview1 module links. There are no preopened directories (no filesystem yet).
//
// All state lives in a WasiContext owned by the caller; nothing is global.
//
//   engine::Store store;
//   engine::Linker linker;
//   wasi::WasiContext wasi;
//   wasi.args = {"prog", "x"};
//   wasi::define_wasi(store, linker, wasi);   // `wasi` must outlive the store's use
//   auto instance = linker.instantiate(store, compiled);
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lantern/engine/linker.h"
#include "lantern/engine/store.h"

namespace lantern::wasi {

inline constexpr const char* kModuleName = "wasi_snapshot_preview1";

// preview1 errno values used by this implementation.
enum class Errno : uint16_t {
  Success = 0,
  Badf = 8,
  Fault = 21,
  Inval = 28,
  Io = 29,
  Nosys = 52,
  Spipe = 70,
};

// Receives bytes the guest writes to stdout or stderr.
using OutputSink = std::function<void(std::string_view bytes)>;

// A sink that writes straight to a host file descriptor (unbuffered, so guest output and host
// diagnostics keep their order).
OutputSink fd_sink(int host_fd);

struct WasiContext {
  std::vector<std::string> args;  // argv; args[0] is the program name
  std::vector<std::string> env;   // "KEY=value" entries
  OutputSink stdout_sink = fd_sink(1);
  OutputSink stderr_sink = fd_sink(2);
  std::string stdin_data;  // what fd 0 reads; empty means end of file at once

  std::optional<int32_t> exit_code;  // set when the guest calls proc_exit

  // Bookkeeping of the stdio descriptors (0, 1, 2).
  size_t stdin_pos = 0;
  std::array<bool, 3> closed{};
};

// Defines every preview1 function as (kModuleName, name) in `linker`, backed by host functions
// added to `store`. `context` is captured by reference.
void define_wasi(engine::Store& store, engine::Linker& linker, WasiContext& context);

}  // namespace lantern::wasi
