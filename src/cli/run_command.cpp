// `lantern run [OPTIONS] MODULE [ARGS...]`: runs a WASI command module (its `_start`) or calls
// one export with numeric arguments and prints its results, inside a WASI sandbox made of the
// --dir preopens, with memory and time limits.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/run_options.h"
#include "cli/run_tracing.h"
#include "lantern/engine/compiler.h"
#include "lantern/engine/linker.h"
#include "lantern/engine/store.h"
#include "lantern/observe/host_modules.h"
#include "lantern/wasi/wasi.h"

extern char** environ;

namespace lantern::cli {
namespace {

constexpr int kExitTimeout = 124;  // as GNU timeout(1)

struct RunArgs {
  std::string module_path;
  std::vector<std::string> guest_args;
  std::vector<std::string> env;
  std::vector<std::string> dirs;
  bool inherit_env = false;
  std::string invoke;
  std::string max_memory;
  std::string timeout;
  std::string stdin_path;
  TraceOptions trace;
};

// Reads in 64 KiB chunks into a vector sized up front when the file has a size (not a pipe):
// istreambuf_iterator went byte by byte and regrew the vector: 2.5 M of the 10.6 M instructions
// of `lantern run` on a 140 KB module, about 0.2 ms (bench/RESULTS.md, "Start-up").
bool read_bytes(const std::string& path, std::vector<uint8_t>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) out.reserve(size);
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0)
    out.insert(out.end(), chunk, chunk + in.gcount());
  return !in.bad();
}

void print_trap(const engine::Trap& trap) {
  std::cerr << "Error: " << trap.message << "\n";
  if (trap.backtrace.empty()) return;
  std::cerr << "Backtrace:\n";
  // Deep recursion leaves thousands of frames: show the innermost and the outermost ones.
  constexpr size_t kHead = 24, kTail = 8;
  const size_t count = trap.backtrace.size();
  for (size_t i = 0; i < count; ++i) {
    if (count > kHead + kTail && i == kHead) {
      std::cerr << fmt::format("  ... {} more frames ...\n", count - kHead - kTail);
      i = count - kTail;
    }
    const engine::BacktraceFrame& frame = trap.backtrace[i];
    std::string index = fmt::format("func[{}]", frame.func_index);
    if (frame.name == index) {
      std::cerr << fmt::format("  {}: {}\n", i, index);
    } else {
      std::cerr << fmt::format("  {}: {} ({})\n", i, frame.name, index);
    }
  }
}

// The guest environment: the host's with --inherit-env, then each --env (which wins).
std::vector<std::string> guest_environment(const RunArgs& args) {
  std::vector<std::string> env;
  auto set = [&env](const std::string& entry) {
    std::string key = entry.substr(0, entry.find('='));
    std::erase_if(env, [&](const std::string& e) { return e.substr(0, e.find('=')) == key; });
    env.push_back(entry);
  };
  if (args.inherit_env) {
    for (char** e = environ; *e; ++e) set(*e);
  }
  for (const std::string& entry : args.env) set(entry);
  return env;
}

// Sets up fd 0, preopens, argv and environment; an error names the offending option.
Expected<void> configure_wasi(const RunArgs& args, wasi::WasiContext& wasi) {
  wasi.args.push_back(args.module_path);
  wasi.args.insert(wasi.args.end(), args.guest_args.begin(), args.guest_args.end());
  for (const std::string& entry : args.env) {
    if (entry.find('=') == std::string::npos || entry.front() == '=') {
      return make_error(Phase::Config, "--env '" + entry + "': expected KEY=VALUE");
    }
  }
  wasi.env = guest_environment(args);
  for (const std::string& text : args.dirs) {
    auto mapping = parse_dir_mapping(text);
    if (!mapping) return Unexpected{mapping.error()};
    LANTERN_TRY(wasi.preopen(mapping->host, mapping->guest, mapping->read_only));
  }
  int in =
      args.stdin_path.empty() ? ::dup(0) : ::open(args.stdin_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0 && !args.stdin_path.empty()) {
    return make_error(Phase::Config, "--stdin '" + args.stdin_path + "': " + std::strerror(errno));
  }
  if (in >= 0) wasi.set_stdin_fd(in);  // no host stdin at all: the guest reads EOF
  wasi.describe_output_as(1, 2);
  return {};
}

// Raises the store's interrupt flag once `limit` has passed, unless stopped first.
class Watchdog {
 public:
  Watchdog(std::atomic<bool>& flag, std::chrono::nanoseconds limit)
      : thread_([this, &flag, limit] {
          std::unique_lock lock(mutex_);
          if (!cv_.wait_for(lock, limit, [this] { return stopped_; })) {
            fired_ = true;
            flag.store(true);
          }
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  bool fired() {
    std::lock_guard lock(mutex_);
    return fired_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopped_ = false;
  bool fired_ = false;
  std::thread thread_;
};

// What the user is told about a failed call: the trap, or the timeout that caused it.
engine::Trap describe_failure(const engine::Trap& trap, Watchdog* watchdog,
                              const std::string& timeout, int& exit_code) {
  engine::Trap shown = trap;
  exit_code = 1;
  if (trap.kind == engine::TrapKind::Interrupted && watchdog && watchdog->fired()) {
    shown.message = "timeout: the guest ran longer than --timeout " + timeout;
    exit_code = kExitTimeout;
  }
  return shown;
}

int run_module(const RunArgs& args, ExecutionTrace* trace) {
  engine::StoreLimits limits;
  if (!args.max_memory.empty()) {
    auto bytes = parse_byte_size(args.max_memory);
    if (!bytes) {
      std::cerr << "Error: --max-memory " << bytes.error().message << "\n";
      return 1;
    }
    limits.max_memory_pages =
        static_cast<uint32_t>(std::min<uint64_t>(*bytes / wasm::kPageSize, wasm::kMaxPages));
  }
  std::chrono::nanoseconds timeout{0};
  if (!args.timeout.empty()) {
    auto parsed = parse_duration(args.timeout);
    if (!parsed) {
      std::cerr << "Error: --timeout " << parsed.error().message << "\n";
      return 1;
    }
    timeout = *parsed;
  }

  std::vector<uint8_t> bytes;
  if (!read_bytes(args.module_path, bytes)) {
    std::cerr << "Error: cannot read " << args.module_path << "\n";
    return 1;
  }
  const std::string name = args.invoke.empty() ? "_start" : args.invoke;
  if (trace) {
    trace->begin_execution(args.module_path, bytes);
    trace->begin_phase("compile");
  }
  auto compiled = engine::load_module(bytes);
  if (trace) trace->end_phase(compiled ? nullptr : &compiled.error());
  if (!compiled) {
    std::cerr << "Error: " << compiled.error().to_string() << "\n";
    return 1;
  }

  engine::Store store(limits);
  engine::Linker linker;
  wasi::WasiContext wasi;
  if (auto configured = configure_wasi(args, wasi); !configured) {
    std::cerr << "Error: " << configured.error().message << "\n";
    return 1;
  }
  if (trace) {
    // The guest learns its parent span (the call span) like any W3C-aware program would.
    for (const std::string& entry : trace->guest_environment()) {
      std::string key = entry.substr(0, entry.find('=') + 1);
      std::erase_if(wasi.env, [&](const std::string& e) { return e.starts_with(key); });
      wasi.env.push_back(entry);
    }
    trace->attach(store);
  }
  wasi::define_wasi(store, linker, wasi);
  // Modules importing the Observe API link whether or not tracing is on.
  observe::define_observe(store, linker, trace ? &trace->collector() : nullptr);

  // The clock starts before instantiation: a start function is guest code too.
  std::unique_ptr<Watchdog> watchdog;
  if (timeout.count() > 0) watchdog = std::make_unique<Watchdog>(store.interrupt_flag(), timeout);

  if (trace) trace->begin_phase("instantiate");
  auto instance = linker.instantiate(store, *compiled);
  if (!instance) {
    if (wasi.exit_code) return *wasi.exit_code;  // proc_exit from the start function
    if (trace) {
      trace->collector().close_guest_frames(nullptr);
      trace->end_phase(&instance.error());
    }
    std::cerr << "Error: " << instance.error().to_string() << "\n";
    return watchdog && watchdog->fired() ? kExitTimeout : 1;
  }
  if (trace) trace->end_phase();

  engine::FuncInst* func = (*instance)->find_function(name);
  if (!func) {
    std::cerr << "Error: the module exports no function named '" << name << "'"
              << (args.invoke.empty() ? " (use --invoke NAME)" : "") << "\n";
    return 1;
  }

  std::vector<engine::Value> params;
  const std::vector<std::string>& texts =
      args.invoke.empty() ? std::vector<std::string>{} : args.guest_args;
  if (texts.size() != func->type.params.size()) {
    std::cerr << "Error: '" << name << "' expects " << func->type.params.size()
              << " argument(s), got " << texts.size() << "\n";
    return 1;
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    engine::Value value;
    if (!parse_value(texts[i], func->type.params[i], value)) {
      std::cerr << "Error: argument " << i + 1 << " ('" << texts[i] << "') is not a valid "
                << wasm::to_string(func->type.params[i]) << "\n";
      return 1;
    }
    params.push_back(value);
  }

  if (trace) trace->begin_call();
  auto results = store.invoke(*func, params);
  if (!results) {
    const engine::Trap& trap = results.error();
    if (trap.kind == engine::TrapKind::Exit) {
      if (trace) trace->end_call(nullptr, trap.exit_code);
      return trap.exit_code;
    }
    int exit_code = 1;
    engine::Trap shown = describe_failure(trap, watchdog.get(), args.timeout, exit_code);
    if (trace) trace->end_call(&shown, std::nullopt);
    print_trap(shown);
    return exit_code;
  }
  if (trace) trace->end_call(nullptr, std::nullopt);
  if (!args.invoke.empty()) {
    for (const engine::Value& value : *results) std::cout << format_value(value) << "\n";
  }
  return 0;
}

}  // namespace

void register_run(CLI::App& app, CommandStatus& status) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run a WASI module's _start (or one export) in a sandbox: run [OPTIONS] MODULE [ARGS...]");
  cmd->footer(
      "Options go before MODULE; everything after MODULE is the guest's (argv[0] is MODULE).\n"
      "The guest sees only the --dir directories; `..`, absolute paths and symlinks never lead\n"
      "outside them.\n"
      "Exit code: the guest's exit code (proc_exit), 0 when _start returns, 1 on a trap (its\n"
      "message and Wasm backtrace go to stderr) or an error, 124 when --timeout expires.");
  cmd->add_option("--dir", args->dirs,
                  "Preopen host directory HOST as GUEST (default: HOST as written); with :ro the "
                  "guest cannot change anything beneath it. Repeatable: HOST[::GUEST][:ro]")
      ->allow_extra_args(false)
      ->type_name("HOST[::GUEST][:ro]");
  cmd->add_option("--env", args->env, "Set a guest environment variable KEY=VALUE (repeatable)")
      ->allow_extra_args(false)
      ->type_name("KEY=VALUE");
  cmd->add_flag("--inherit-env", args->inherit_env,
                "Pass the host's environment to the guest (--env entries win)");
  cmd->add_option("--invoke", args->invoke,
                  "Call this export with ARGS as its numeric arguments instead of _start, and "
                  "print its results")
      ->type_name("NAME");
  cmd->add_option("--max-memory", args->max_memory,
                  "Limit each linear memory to BYTES (e.g. 64MiB); memory.grow beyond it "
                  "returns -1")
      ->type_name("BYTES");
  cmd->add_option("--timeout", args->timeout,
                  "Stop the guest after DURATION (e.g. 500ms, 2s, 1m), even inside loops, calls "
                  "and sleeps; exit code 124")
      ->type_name("DURATION");
  cmd->add_option("--stdin", args->stdin_path,
                  "File the guest reads as standard input (default: Lantern's own stdin)")
      ->type_name("FILE");
  cmd->add_option("MODULE", args->module_path,
                  "The .wasm file; everything after it goes to the "
                  "guest as ARGS")
      ->required();
  // Options before MODULE are Lantern's; everything after it belongs to the guest, even `-x`.
  cmd->prefix_command();
  cmd->allow_extras();
  add_trace_options(*cmd, args->trace);
  cmd->callback([args, cmd, &status] {
    args->guest_args = cmd->remaining();
    args->trace.trace_functions = cmd->count("--trace-functions") > 0;
    auto trace =
        ExecutionTrace::create(args->trace, args->invoke.empty() ? "_start" : args->invoke);
    if (!trace) {
      std::cerr << "Error: " << trace.error().message << "\n";
      status.exit_code = 1;
      return;
    }
    status.exit_code = run_module(*args, trace->get());
    // Every span recorded so far goes out, whatever happened.
    if (*trace) (*trace)->finish(status.exit_code);
  });
}

}  // namespace lantern::cli
