// Entry point: defines the whole wasi_snapshot_preview1 module in a linker.
#include "wasi/definer.h"

namespace lantern::wasi {

void define_wasi(engine::Store& store, engine::Linker& linker, WasiContext& context) {
  WasiDefiner definer{store, linker, context};
  define_process_functions(definer);
  define_fd_functions(definer);
  define_unsupported_functions(definer);
}

}  // namespace lantern::wasi
