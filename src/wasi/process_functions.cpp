// preview1: args_*, environ_*, clock_*, random_get, proc_exit, proc_raise, sched_yield.
#include <sched.h>
#include <sys/random.h>
#include <time.h>

#include <cerrno>
#include <vector>

#include "wasi/definer.h"
#include "wasi/guest_memory.h"

namespace lantern::wasi {
namespace {

// Size of the strings as the guest sees them: each one NUL-terminated.
uint64_t buffer_size(const std::vector<std::string>& strings) {
  uint64_t total = 0;
  for (const std::string& s : strings) total += s.size() + 1;
  return total;
}

Errno write_sizes(GuestMemory& memory, const std::vector<std::string>& strings, uint32_t count_ptr,
                  uint32_t size_ptr) {
  if (!memory.contains(count_ptr, 4) || !memory.contains(size_ptr, 4)) return Errno::Fault;
  memory.store(count_ptr, static_cast<uint32_t>(strings.size()));
  memory.store(size_ptr, static_cast<uint32_t>(buffer_size(strings)));
  return Errno::Success;
}

// Fills the guest's pointer array and string buffer (the layout of args_get and environ_get).
Errno write_strings(GuestMemory& memory, const std::vector<std::string>& strings,
                    uint32_t pointers_ptr, uint32_t buffer_ptr) {
  if (!memory.contains(pointers_ptr, uint64_t{4} * strings.size()) ||
      !memory.contains(buffer_ptr, buffer_size(strings))) {
    return Errno::Fault;
  }
  uint32_t cursor = buffer_ptr;
  for (size_t i = 0; i < strings.size(); ++i) {
    memory.store(pointers_ptr + static_cast<uint32_t>(4 * i), cursor);
    memory.store_bytes(cursor, strings[i]);
    memory.store(cursor + static_cast<uint32_t>(strings[i].size()), uint8_t{0});
    cursor += static_cast<uint32_t>(strings[i].size() + 1);
  }
  return Errno::Success;
}

bool host_clock(uint32_t clock_id, clockid_t& out) {
  switch (clock_id) {
    case 0: out = CLOCK_REALTIME; return true;
    case 1: out = CLOCK_MONOTONIC; return true;
    case 2: out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case 3: out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

uint64_t to_nanoseconds(const timespec& ts) {
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

void define_process_functions(WasiDefiner& d) {
  WasiContext& ctx = d.context;
  using engine::Caller;

  d.define("args_sizes_get", engine::host_function([&ctx](Caller& c, uint32_t argc_ptr,
                                                          uint32_t size_ptr) -> int32_t {
             GuestMemory memory(c);
             return to_result(write_sizes(memory, ctx.args, argc_ptr, size_ptr));
           }));
  d.define("args_get",
           engine::host_function([&ctx](Caller& c, uint32_t argv_ptr, uint32_t buf_ptr) -> int32_t {
             GuestMemory memory(c);
             return to_result(write_strings(memory, ctx.args, argv_ptr, buf_ptr));
           }));
  d.define("environ_sizes_get", engine::host_function([&ctx](Caller& c, uint32_t count_ptr,
                                                             uint32_t size_ptr) -> int32_t {
             GuestMemory memory(c);
             return to_result(write_sizes(memory, ctx.env, count_ptr, size_ptr));
           }));
  d.define("environ_get",
           engine::host_function([&ctx](Caller& c, uint32_t env_ptr, uint32_t buf_ptr) -> int32_t {
             GuestMemory memory(c);
             return to_result(write_strings(memory, ctx.env, env_ptr, buf_ptr));
           }));

  d.define("clock_res_get",
           engine::host_function([](Caller& c, uint32_t clock_id, uint32_t res_ptr) -> int32_t {
             clockid_t clock;
             if (!host_clock(clock_id, clock)) return to_result(Errno::Inval);
             timespec ts{};
             if (clock_getres(clock, &ts) != 0) return to_result(Errno::Inval);
             GuestMemory memory(c);
             if (!memory.store(res_ptr, to_nanoseconds(ts))) return to_result(Errno::Fault);
             return to_result(Errno::Success);
           }));
  d.define("clock_time_get",
           engine::host_function([](Caller& c, uint32_t clock_id, uint64_t /*precision*/,
                                    uint32_t time_ptr) -> int32_t {
             clockid_t clock;
             if (!host_clock(clock_id, clock)) return to_result(Errno::Inval);
             timespec ts{};
             if (clock_gettime(clock, &ts) != 0) return to_result(Errno::Inval);
             GuestMemory memory(c);
             if (!memory.store(time_ptr, to_nanoseconds(ts))) return to_result(Errno::Fault);
             return to_result(Errno::Success);
           }));

  d.define("random_get",
           engine::host_function([](Caller& c, uint32_t buf_ptr, uint32_t buf_len) -> int32_t {
             GuestMemory memory(c);
             uint8_t* out = memory.range(buf_ptr, buf_len);
             if (!out) return to_result(Errno::Fault);
             size_t filled = 0;
             while (filled < buf_len) {
               ssize_t n = getrandom(out + filled, buf_len - filled, 0);
               if (n < 0) {
                 if (errno == EINTR) continue;
                 return to_result(Errno::Io);
               }
               filled += static_cast<size_t>(n);
             }
             return to_result(Errno::Success);
           }));

  d.define(
      "proc_exit",
      engine::host_function([&ctx](Caller&, uint32_t code) -> engine::HostResult<void> {
        ctx.exit_code = static_cast<int32_t>(code);
        return engine::HostResult<void>::failure(engine::Trap::exit(static_cast<int32_t>(code)));
      }));
  // Signals are gone from later WASI versions; no runtime delivers them to the host process.
  d.define("proc_raise", engine::host_function(
                             [](Caller&, uint32_t) -> int32_t { return to_result(Errno::Nosys); }));
  d.define("sched_yield", engine::host_function([](Caller&) -> int32_t {
             ::sched_yield();
             return to_result(Errno::Success);
           }));
}

}  // namespace lantern::wasi
