// WASI preview1 host ("wasi_snapshot_preview1"): every function of the snapshot, with a capability
// sandbox over host directories. Only preopened directories are reachable; paths are resolved one
// component at a time beneath the preopen's descriptor, so `..`, absolute paths and symlinks can
// never lead outside it, even while the host tree changes underneath.
//
// All state lives in a WasiContext owned by the caller; nothing is global.
//
//   engine::Store store;
//   engine::Linker linker;
//   wasi::WasiContext wasi;
//   wasi.args = {"prog", "x"};
//   if (auto r = wasi.preopen("/srv/data", "/data", /*read_only=*/true); !r) ...
//   wasi::define_wasi(store, linker, wasi);   // `wasi` must outlive the store's use
//   auto instance = linker.instantiate(store, compiled);
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lantern/engine/linker.h"
#include "lantern/engine/store.h"
#include "lantern/util/expected.h"

namespace lantern::wasi {

inline constexpr const char* kModuleName = "wasi_snapshot_preview1";

// preview1 `errno`, numbered exactly as the witx.
enum class Errno : uint16_t {
  Success = 0,
  TooBig = 1,
  Acces = 2,
  Addrinuse = 3,
  Addrnotavail = 4,
  Afnosupport = 5,
  Again = 6,
  Already = 7,
  Badf = 8,
  Badmsg = 9,
  Busy = 10,
  Canceled = 11,
  Child = 12,
  Connaborted = 13,
  Connrefused = 14,
  Connreset = 15,
  Deadlk = 16,
  Destaddrreq = 17,
  Dom = 18,
  Dquot = 19,
  Exist = 20,
  Fault = 21,
  Fbig = 22,
  Hostunreach = 23,
  Idrm = 24,
  Ilseq = 25,
  Inprogress = 26,
  Intr = 27,
  Inval = 28,
  Io = 29,
  Isconn = 30,
  Isdir = 31,
  Loop = 32,
  Mfile = 33,
  Mlink = 34,
  Msgsize = 35,
  Multihop = 36,
  Nametoolong = 37,
  Netdown = 38,
  Netreset = 39,
  Netunreach = 40,
  Nfile = 41,
  Nobufs = 42,
  Nodev = 43,
  Noent = 44,
  Noexec = 45,
  Nolck = 46,
  Nolink = 47,
  Nomem = 48,
  Nomsg = 49,
  Noprotoopt = 50,
  Nospc = 51,
  Nosys = 52,
  Notconn = 53,
  Notdir = 54,
  Notempty = 55,
  Notrecoverable = 56,
  Notsock = 57,
  Notsup = 58,
  Notty = 59,
  Nxio = 60,
  Overflow = 61,
  Ownerdead = 62,
  Perm = 63,
  Pipe = 64,
  Proto = 65,
  Protonosupport = 66,
  Prototype = 67,
  Range = 68,
  Rofs = 69,
  Spipe = 70,
  Srch = 71,
  Stale = 72,
  Timedout = 73,
  Txtbsy = 74,
  Xdev = 75,
  Notcapable = 76,
};

// The preview1 errno for a host `errno` value (EIO for anything preview1 has no name for).
Errno errno_from_host(int host_errno);

// Receives bytes the guest writes to stdout or stderr.
using OutputSink = std::function<void(std::string_view bytes)>;

// A sink that writes straight to a host file descriptor (unbuffered, so guest output and host
// diagnostics keep their order).
OutputSink fd_sink(int host_fd);

class FdTable;  // the guest's descriptors (src/wasi/fd_table.h)

class WasiContext {
 public:
  WasiContext();
  ~WasiContext();  // closes every host descriptor the guest still holds
  WasiContext(const WasiContext&) = delete;
  WasiContext& operator=(const WasiContext&) = delete;

  std::vector<std::string> args;  // argv; args[0] is the program name
  std::vector<std::string> env;   // "KEY=value" entries
  OutputSink stdout_sink = fd_sink(1);
  OutputSink stderr_sink = fd_sink(2);
  std::string stdin_data;  // what fd 0 reads unless set_stdin_fd was called; empty = at EOF

  // fd 0 reads this host descriptor instead of stdin_data; the context takes ownership.
  void set_stdin_fd(int host_fd);
  // Reports fds 1 and 2 with the file types of these host descriptors (where the sinks write),
  // so that isatty() in the guest tells a terminal from a redirected file or pipe.
  void describe_output_as(int stdout_host_fd, int stderr_host_fd);

  // Makes the host directory `host_path` reachable by the guest as `guest_path`. Preopens get
  // descriptors 3, 4, ... in call order. A read-only preopen refuses every change beneath it
  // with EROFS. Error when `host_path` is not an openable directory.
  Expected<void> preopen(const std::string& host_path, const std::string& guest_path,
                         bool read_only = false);

  std::optional<int32_t> exit_code;  // set when the guest calls proc_exit

  // Set by define_wasi to the store's interrupt flag: calls that block (poll_oneoff, reads of a
  // pipe) wake up when it is raised.
  const std::atomic<bool>* interrupt = nullptr;

  FdTable& fds() { return *fds_; }

 private:
  std::unique_ptr<FdTable> fds_;
};

// Defines every preview1 function as (kModuleName, name) in `linker`, backed by host functions
// added to `store`. `context` is captured by reference.
void define_wasi(engine::Store& store, engine::Linker& linker, WasiContext& context);

}  // namespace lantern::wasi
