// Shared plumbing for the preview1 function files: adds a typed host function to the store and
// defines it in the linker under wasi_snapshot_preview1.
#pragma once

#include <string>
#include <string_view>

#include "lantern/engine/host.h"
#include "lantern/wasi/wasi.h"

namespace lantern::wasi {

inline int32_t to_result(Errno e) { return static_cast<int32_t>(e); }

struct WasiDefiner {
  engine::Store& store;
  engine::Linker& linker;
  WasiContext& context;

  void define(const char* name, engine::TypedHostFunction fn) {
    engine::FuncInst* func = engine::add_host_function(
        store, std::string(kModuleName) + "." + name, std::move(fn));
    linker.define(kModuleName, name, engine::Extern::of(func));
  }
  // A function that exists only so modules link: it answers ENOSYS. `params` spells the
  // parameter types, 'i' for i32 and 'I' for i64; the result is the i32 errno.
  void define_unsupported(const char* name, std::string_view params);
};

void define_process_functions(WasiDefiner& definer);  // args, environ, clocks, random, proc_*
void define_fd_functions(WasiDefiner& definer);       // stdio descriptors
void define_unsupported_functions(WasiDefiner& definer);

}  // namespace lantern::wasi
