// preview1 sock_*: Lantern gives guests no sockets (jobs have no network), so every descriptor
// a guest can name is not a socket. The calls link and answer cleanly: EBADF for a descriptor
// that is not open, ENOTSUP otherwise.
#include "wasi/definer.h"

namespace lantern::wasi {
namespace {

using engine::Caller;

Errno no_socket(WasiContext& ctx, uint32_t fd) {
  return ctx.fds().get(fd) ? Errno::Notsup : Errno::Badf;
}

Errno sock_accept(WasiContext& ctx, Caller&, uint32_t fd, uint32_t, uint32_t) {
  return no_socket(ctx, fd);
}
Errno sock_recv(WasiContext& ctx, Caller&, uint32_t fd, uint32_t, uint32_t, uint32_t, uint32_t,
                uint32_t) {
  return no_socket(ctx, fd);
}
Errno sock_send(WasiContext& ctx, Caller&, uint32_t fd, uint32_t, uint32_t, uint32_t, uint32_t) {
  return no_socket(ctx, fd);
}
Errno sock_shutdown(WasiContext& ctx, Caller&, uint32_t fd, uint32_t) { return no_socket(ctx, fd); }

}  // namespace

void define_socket_functions(WasiDefiner& d) {
  d.define("sock_accept", sock_accept);
  d.define("sock_recv", sock_recv);
  d.define("sock_send", sock_send);
  d.define("sock_shutdown", sock_shutdown);
}

}  // namespace lantern::wasi
