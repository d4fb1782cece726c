// preview1 poll_oneoff: clock subscriptions (relative or absolute, any clock) and fd_read /
// fd_write readiness. Regular files and the in-process stdio streams are always ready; pipes,
// terminals and sockets are polled on the host. Waits wake every few milliseconds to honour the
// store's interrupt flag, so a timeout stops a sleeping guest too.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <vector>

#include "wasi/definer.h"
#include "wasi/rights.h"

namespace lantern::wasi {
namespace {

using engine::Caller;

constexpr uint32_t kSubscriptionSize = 48;
constexpr uint32_t kEventSize = 32;
constexpr uint8_t kEventClock = 0;
constexpr uint8_t kEventFdRead = 1;
constexpr uint8_t kEventFdWrite = 2;
constexpr uint16_t kSubclockAbstime = 1;
constexpr uint16_t kEventHangup = 1;
constexpr uint64_t kSliceNs = 5'000'000;  // longest sleep between interrupt checks

uint64_t now_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

struct Event {
  uint64_t userdata = 0;
  Errno error = Errno::Success;
  uint8_t type = 0;
  uint64_t nbytes = 0;
  uint16_t flags = 0;
};

struct Pending {
  uint64_t userdata;
  uint8_t type;
  std::optional<uint64_t> deadline;  // monotonic ns, for clocks
  size_t pollfd_index = 0;           // for host streams
};

// Bytes a read would return at once from a regular file (its size past the offset).
uint64_t readable_bytes(int host_fd) {
  struct stat st;
  off_t pos = ::lseek(host_fd, 0, SEEK_CUR);
  if (::fstat(host_fd, &st) != 0 || pos < 0 || st.st_size <= pos) return 0;
  return static_cast<uint64_t>(st.st_size - pos);
}

// Classifies one fd subscription: an immediate event, or a host descriptor to poll.
std::optional<Event> fd_subscription(WasiContext& ctx, uint64_t userdata, uint8_t type, uint32_t fd,
                                     std::vector<pollfd>& pollfds) {
  Event event{userdata, Errno::Success, type, 0, 0};
  FdEntry* entry = ctx.fds().get(fd);
  if (!entry) {
    event.error = Errno::Badf;
    return event;
  }
  if (!entry->has(rights::kPollFdReadwrite)) {
    event.error = Errno::Notcapable;
    return event;
  }
  switch (entry->kind) {
    case FdKind::StdinData:
      if (type == kEventFdRead) {
        event.nbytes =
            ctx.stdin_data.size() - std::min<uint64_t>(entry->data_pos, ctx.stdin_data.size());
        if (event.nbytes == 0) event.flags = kEventHangup;
      } else {
        event.error = Errno::Badf;
      }
      return event;
    case FdKind::Stdout:
    case FdKind::Stderr:
      if (type == kEventFdRead) event.error = Errno::Badf;
      return event;
    case FdKind::Host: break;
  }
  if (entry->type == Filetype::RegularFile || entry->type == Filetype::Directory ||
      entry->type == Filetype::BlockDevice) {
    if (type == kEventFdRead) event.nbytes = readable_bytes(entry->host.get());
    return event;
  }
  short events = type == kEventFdRead ? POLLIN : POLLOUT;
  pollfds.push_back(pollfd{entry->host.get(), events, 0});
  return std::nullopt;
}

Event stream_event(const Pending& p, const pollfd& pfd) {
  Event event{p.userdata, Errno::Success, p.type, 0, 0};
  if (pfd.revents & POLLNVAL) {
    event.error = Errno::Badf;
  } else if (pfd.revents & (POLLHUP | POLLERR)) {
    event.flags = kEventHangup;
  } else if (p.type == kEventFdRead) {
    int available = 0;
    if (::ioctl(pfd.fd, FIONREAD, &available) == 0 && available > 0) event.nbytes = available;
  }
  return event;
}

BlockingResult poll_oneoff(WasiContext& ctx, Caller& c, uint32_t in, uint32_t out,
                           uint32_t nsubscriptions, uint32_t nevents_ptr) {
  if (nsubscriptions == 0) return to_result(Errno::Inval);
  GuestMemory memory(c);
  if (!memory.contains(in, uint64_t{nsubscriptions} * kSubscriptionSize) ||
      !memory.contains(out, uint64_t{nsubscriptions} * kEventSize) ||
      !memory.contains(nevents_ptr, 4)) {
    return to_result(Errno::Fault);
  }

  std::vector<Event> events;
  std::vector<Pending> pending;
  std::vector<pollfd> pollfds;
  const uint64_t start = now_ns(CLOCK_MONOTONIC);
  for (uint32_t i = 0; i < nsubscriptions; ++i) {
    uint32_t at = in + i * kSubscriptionSize;
    uint64_t userdata = 0;
    uint8_t tag = 0;
    memory.load(at, userdata);
    memory.load(at + 8, tag);
    if (tag == kEventClock) {
      uint32_t clock_id = 0;
      uint64_t timeout = 0;
      uint16_t flags = 0;
      memory.load(at + 16, clock_id);
      memory.load(at + 24, timeout);
      memory.load(at + 40, flags);
      static constexpr clockid_t kClocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC,
                                              CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID};
      if (clock_id > 3) {
        events.push_back(Event{userdata, Errno::Inval, kEventClock, 0, 0});
        continue;
      }
      // CPU-time clocks advance at most as fast as the monotonic one while we sleep, so their
      // deadlines are mapped onto it (a lower bound; the guest wakes no earlier than asked).
      uint64_t delay = timeout;
      if (flags & kSubclockAbstime) {
        uint64_t now = now_ns(kClocks[clock_id]);
        delay = timeout > now ? timeout - now : 0;
      }
      uint64_t deadline = delay > UINT64_MAX - start ? UINT64_MAX : start + delay;
      pending.push_back(Pending{userdata, kEventClock, deadline, 0});
    } else if (tag == kEventFdRead || tag == kEventFdWrite) {
      uint32_t fd = 0;
      memory.load(at + 16, fd);
      size_t index = pollfds.size();
      if (auto ready = fd_subscription(ctx, userdata, tag, fd, pollfds)) {
        events.push_back(*ready);
      } else {
        pending.push_back(Pending{userdata, tag, std::nullopt, index});
      }
    } else {
      return to_result(Errno::Inval);
    }
  }

  // Wait until something is ready or the earliest clock is due; only look if events are
  // already there.
  for (bool first = true;; first = false) {
    uint64_t now = now_ns(CLOCK_MONOTONIC);
    uint64_t wait = events.empty() ? kSliceNs : 0;
    bool clock_due = false;
    for (const Pending& p : pending) {
      if (!p.deadline) continue;
      if (*p.deadline <= now)
        clock_due = true;
      else
        wait = std::min(wait, *p.deadline - now);
    }
    if (clock_due) wait = 0;
    timespec ts{static_cast<time_t>(wait / 1'000'000'000u),
                static_cast<long>(wait % 1'000'000'000u)};
    int ready = pollfds.empty() ? (wait > 0 ? (::nanosleep(&ts, nullptr), 0) : 0)
                                : ::ppoll(pollfds.data(), pollfds.size(), &ts, nullptr);
    if (ready < 0 && errno != EINTR) return to_result(errno_from_host(errno));
    now = now_ns(CLOCK_MONOTONIC);
    for (const Pending& p : pending) {
      if (p.deadline) {
        if (*p.deadline <= now) events.push_back(Event{p.userdata, Errno::Success, kEventClock});
      } else if (pollfds[p.pollfd_index].revents != 0) {
        events.push_back(stream_event(p, pollfds[p.pollfd_index]));
      }
    }
    if (!events.empty() || (!first && wait == 0 && pending.empty())) break;
    if (ctx.interrupt && ctx.interrupt->load(std::memory_order_relaxed)) {
      return BlockingResult::failure(engine::Trap::of(engine::TrapKind::Interrupted));
    }
  }

  for (size_t i = 0; i < events.size(); ++i) {
    uint32_t at = out + static_cast<uint32_t>(i) * kEventSize;
    const Event& e = events[i];
    uint8_t* bytes = memory.range(at, kEventSize);
    std::fill(bytes, bytes + kEventSize, uint8_t{0});
    memory.store(at, e.userdata);
    memory.store(at + 8, static_cast<uint16_t>(e.error));
    memory.store(at + 10, e.type);
    memory.store(at + 16, e.nbytes);
    memory.store(at + 24, e.flags);
  }
  memory.store(nevents_ptr, static_cast<uint32_t>(events.size()));
  return to_result(Errno::Success);
}

}  // namespace

void define_poll_functions(WasiDefiner& d) { d.define("poll_oneoff", poll_oneoff); }

}  // namespace lantern::wasi
