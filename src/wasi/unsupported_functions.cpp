// The rest of preview1: defined so every preview1 module links, answering ENOSYS until the
// filesystem, polling and sockets exist.
#include "wasi/definer.h"

namespace lantern::wasi {

void WasiDefiner::define_unsupported(const char* name, std::string_view params) {
  wasm::FuncType type;
  for (char p : params) type.params.push_back(p == 'I' ? wasm::ValType::I64 : wasm::ValType::I32);
  type.results.push_back(wasm::ValType::I32);
  engine::FuncInst* func = store.add_host_function(
      std::string(kModuleName) + "." + name, std::move(type),
      [](engine::Caller&, uint64_t* slots) -> engine::HostStatus {
        slots[0] = static_cast<uint32_t>(Errno::Nosys);
        return {};
      });
  linker.define(kModuleName, name, engine::Extern::of(func));
}

void define_unsupported_functions(WasiDefiner& d) {
  // Parameter types from the preview1 witx: 'i' = i32, 'I' = i64.
  static constexpr struct {
    const char* name;
    const char* params;
  } kUnsupported[] = {
      {"fd_advise", "iIIi"},
      {"fd_allocate", "iII"},
      {"fd_fdstat_set_rights", "iII"},
      {"fd_filestat_set_size", "iI"},
      {"fd_filestat_set_times", "iIIi"},
      {"fd_pread", "iiiIi"},
      {"fd_pwrite", "iiiIi"},
      {"fd_readdir", "iiiIi"},
      {"fd_renumber", "ii"},
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
      {"sock_accept", "iii"},
      {"sock_recv", "iiiiii"},
      {"sock_send", "iiiii"},
      {"sock_shutdown", "ii"},
  };
  for (const auto& f : kUnsupported) d.define_unsupported(f.name, f.params);
}

}  // namespace lantern::wasi
