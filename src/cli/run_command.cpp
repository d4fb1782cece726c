// `lantern run [--invoke NAME] [--env K=V]... MODULE [ARGS...]`: runs a WASI command module
// (its `_start`) or calls one export with numeric arguments and prints its results.
// Exit code: the guest's proc_exit code, 0 when it returns, 1 on any error or trap.
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "lantern/engine/compiler.h"
#include "lantern/engine/linker.h"
#include "lantern/engine/store.h"
#include "lantern/wasi/wasi.h"

namespace lantern::cli {
namespace {

struct RunArgs {
  std::string module_path;
  std::vector<std::string> guest_args;
  std::vector<std::string> env;
  std::string invoke;
};

bool read_bytes(const std::string& path, std::vector<uint8_t>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// Parses a command-line argument as a value of `type`; integers may be given signed or unsigned.
bool parse_value(const std::string& text, engine::ValType type, engine::Value& out) {
  errno = 0;
  char* end = nullptr;
  switch (type) {
    case engine::ValType::I32:
    case engine::ValType::I64: {
      bool negative = !text.empty() && text[0] == '-';
      uint64_t bits = negative ? static_cast<uint64_t>(std::strtoll(text.c_str(), &end, 0))
                               : std::strtoull(text.c_str(), &end, 0);
      if (type == engine::ValType::I32) {
        int64_t as_signed = static_cast<int64_t>(bits);
        if (negative ? as_signed < INT32_MIN : bits > UINT32_MAX) return false;
        out = engine::Value::i32(static_cast<int32_t>(bits));
      } else {
        out = engine::Value::i64(static_cast<int64_t>(bits));
      }
      break;
    }
    case engine::ValType::F32: out = engine::Value::f32(std::strtof(text.c_str(), &end)); break;
    case engine::ValType::F64: out = engine::Value::f64(std::strtod(text.c_str(), &end)); break;
    default: return false;
  }
  return errno == 0 && end && *end == '\0' && !text.empty();
}

std::string format_value(const engine::Value& value) {
  switch (value.type) {
    case engine::ValType::I32: return std::to_string(value.as_i32());
    case engine::ValType::I64: return std::to_string(value.as_i64());
    case engine::ValType::F32: return fmt::format("{}", value.as_f32());
    case engine::ValType::F64: return fmt::format("{}", value.as_f64());
    default: return engine::to_string(value);
  }
}

void print_trap(const engine::Trap& trap) {
  std::cerr << "Error: " << trap.message << "\n";
  if (trap.backtrace.empty()) return;
  std::cerr << "Backtrace:\n";
  for (size_t i = 0; i < trap.backtrace.size(); ++i) {
    const engine::BacktraceFrame& frame = trap.backtrace[i];
    std::string index = fmt::format("func[{}]", frame.func_index);
    if (frame.name == index) {
      std::cerr << fmt::format("  {}: {}\n", i, index);
    } else {
      std::cerr << fmt::format("  {}: {} ({})\n", i, frame.name, index);
    }
  }
}

int run_module(const RunArgs& args) {
  std::vector<uint8_t> bytes;
  if (!read_bytes(args.module_path, bytes)) {
    std::cerr << "Error: cannot read " << args.module_path << "\n";
    return 1;
  }
  auto compiled = engine::load_module(bytes);
  if (!compiled) {
    std::cerr << "Error: " << compiled.error().to_string() << "\n";
    return 1;
  }

  engine::Store store;
  engine::Linker linker;
  wasi::WasiContext wasi;
  wasi.args.push_back(args.module_path);
  wasi.args.insert(wasi.args.end(), args.guest_args.begin(), args.guest_args.end());
  wasi.env = args.env;
  wasi::define_wasi(store, linker, wasi);

  auto instance = linker.instantiate(store, *compiled);
  if (!instance) {
    if (wasi.exit_code) return *wasi.exit_code;  // proc_exit from the start function
    std::cerr << "Error: " << instance.error().to_string() << "\n";
    return 1;
  }

  const std::string name = args.invoke.empty() ? "_start" : args.invoke;
  engine::FuncInst* func = (*instance)->find_function(name);
  if (!func) {
    std::cerr << "Error: the module exports no function named '" << name << "'"
              << (args.invoke.empty() ? " (use --invoke NAME)" : "") << "\n";
    return 1;
  }

  std::vector<engine::Value> params;
  const std::vector<std::string>& texts = args.invoke.empty() ? std::vector<std::string>{}
                                                              : args.guest_args;
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

  auto results = store.invoke(*func, params);
  if (!results) {
    const engine::Trap& trap = results.error();
    if (trap.kind == engine::TrapKind::Exit) return trap.exit_code;
    print_trap(trap);
    return 1;
  }
  if (!args.invoke.empty()) {
    for (const engine::Value& value : *results) std::cout << format_value(value) << "\n";
  }
  return 0;
}

}  // namespace

void register_run(CLI::App& app, CommandStatus& status) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run a WASI module's _start, or one export: run [OPTIONS] MODULE [ARGS...]");
  cmd->add_option("--invoke", args->invoke,
                  "Call this export with ARGS as its numeric arguments instead of _start");
  cmd->add_option("--env", args->env, "Set a guest environment variable (KEY=VALUE)")
      ->allow_extra_args(false);
  cmd->add_option("MODULE", args->module_path, "The .wasm file; everything after it goes to the "
                                               "guest as ARGS")
      ->required();
  // Options before MODULE are Lantern's; everything after it belongs to the guest, even `-x`.
  cmd->prefix_command();
  cmd->allow_extras();
  cmd->callback([args, cmd, &status] {
    args->guest_args = cmd->remaining();
    status.exit_code = run_module(*args);
  });
}

}  // namespace lantern::cli
