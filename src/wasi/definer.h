// Shared plumbing for the preview1 function files: adds a typed host function to the store and
// defines it in the linker under wasi_snapshot_preview1, plus the descriptor and path look-ups
// every function starts with.
#pragma once

#include <string>
#include <string_view>

#include "lantern/engine/host.h"
#include "lantern/wasi/wasi.h"
#include "wasi/fd_table.h"
#include "wasi/guest_memory.h"

namespace lantern::wasi {

inline int32_t to_result(Errno e) { return static_cast<int32_t>(e); }

// Most preview1 functions answer an errno; the ones that block may also trap (interrupt).
using BlockingResult = engine::HostResult<int32_t>;

struct WasiDefiner {
  engine::Store& store;
  engine::Linker& linker;
  WasiContext& context;

  void define(const char* name, engine::TypedHostFunction fn) {
    engine::FuncInst* func =
        engine::add_host_function(store, std::string(kModuleName) + "." + name, std::move(fn));
    linker.define(kModuleName, name, engine::Extern::of(func));
  }

  // Defines `fn(context, caller, args...)` returning an Errno (or a BlockingResult).
  template <typename... A>
  void define(const char* name, Errno (*fn)(WasiContext&, engine::Caller&, A...)) {
    WasiContext& ctx = context;
    define(name, engine::host_function([&ctx, fn](engine::Caller& c, A... a) -> int32_t {
             return to_result(fn(ctx, c, a...));
           }));
  }
  template <typename... A>
  void define(const char* name, BlockingResult (*fn)(WasiContext&, engine::Caller&, A...)) {
    WasiContext& ctx = context;
    define(name, engine::host_function([&ctx, fn](engine::Caller& c, A... a) -> BlockingResult {
             return fn(ctx, c, a...);
           }));
  }
};

// The open descriptor `fd` holding all of `needed` rights: EBADF when it is not open,
// ENOTCAPABLE when a right is missing.
Expected<FdEntry*, Errno> entry_with_rights(WasiContext& ctx, uint32_t fd, uint64_t needed);

// Like entry_with_rights, for a directory descriptor that paths are resolved against
// (ENOTDIR when it is something else).
Expected<FdEntry*, Errno> directory_with_rights(WasiContext& ctx, uint32_t fd, uint64_t needed);

// The guest path string at [ptr, ptr + len): EFAULT when out of bounds, ENAMETOOLONG when longer
// than kMaxPathLength.
Expected<std::string, Errno> read_guest_string(const GuestMemory& memory, uint32_t ptr,
                                               uint32_t len);

// Waits until `host_fd` is readable or writable (`events` as for poll(2)), waking every few
// milliseconds to honour the store's interrupt flag. False when interrupted.
bool wait_for_host_fd(const WasiContext& ctx, int host_fd, short events);

void define_process_functions(WasiDefiner& definer);  // args, environ, clocks, random, proc_*
void define_fd_functions(WasiDefiner& definer);       // read, write, seek, close, sync, ...
void define_fd_stat_functions(WasiDefiner& definer);  // fdstat, filestat, prestat, readdir
void define_path_functions(WasiDefiner& definer);     // path_*
void define_poll_functions(WasiDefiner& definer);     // poll_oneoff
void define_socket_functions(WasiDefiner& definer);   // sock_*

}  // namespace lantern::wasi
