// Runs the commands of one wast2json file against the engine and counts the outcomes.
//
// Counting rules (see also docs in runner.h):
//  - every command counts once: passed, failed or skipped;
//  - SIMD is not supported: files named simd_*, modules rejected with an error mentioning SIMD
//    or v128, and commands with v128 values are skipped, as is everything using a skipped module;
//  - assert_malformed on text modules is skipped: Lantern has no text parser;
//  - trap and instantiation messages must match the script's text (one a prefix of the other, or
//    the script's text contained in ours); a different trap is a failure, not a warning;
//  - assert_invalid passes whenever loading fails and assert_malformed whenever loading fails; in
//    verbose mode a warning says so when the phase or message differs from the script's.
#include "lantern/spectest/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <ostream>
#include <sstream>
#include <variant>

#include "lantern/engine/compiler.h"
#include "lantern/engine/linker.h"
#include "lantern/engine/store.h"
#include "lantern/spectest/host_module.h"
#include "lantern/spectest/script.h"
#include "lantern/spectest/values.h"

namespace lantern::spectest {
namespace {

using engine::Value;

bool mentions_simd(const std::string& message) {
  std::string lower(message);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("simd") != std::string::npos || lower.find("v128") != std::string::npos;
}

// Trap and instantiation messages: the script's text names the spec's wording; the reference
// interpreter sometimes adds detail ("uninitialized element 2") and so may we.
bool message_matches(const std::string& actual, const std::string& expected) {
  return actual.find(expected) != std::string::npos || expected.starts_with(actual);
}

std::string join(const std::vector<std::string>& parts) {
  std::string out = "(";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out + ")";
}

std::string describe_all(const std::vector<Value>& values) {
  std::vector<std::string> parts;
  for (const auto& value : values) parts.push_back(describe(value));
  return join(parts);
}

std::string describe_all(const std::vector<ExpectedValue>& values) {
  std::vector<std::string> parts;
  for (const auto& value : values) parts.push_back(describe(value));
  return join(parts);
}

bool has_v128(const std::vector<ValueSpec>& values) {
  return std::any_of(values.begin(), values.end(),
                     [](const ValueSpec& v) { return v.type == "v128"; });
}

// What running an action gave.
struct Returned {
  std::vector<Value> values;
};
struct Trapped {
  engine::Trap trap;
};
struct Broken {  // the action could not be run at all (missing export, bad arguments, ...)
  std::string message;
};
struct Skipped {
  std::string reason;
};
using ActionOutcome = std::variant<Returned, Trapped, Broken, Skipped>;

class FileRunner {
 public:
  FileRunner(std::string dir, const RunOptions& options, std::ostream& out, FileResult& result)
      : dir_(std::move(dir)), options_(options), result_(result) {
    auto defined = define_spectest_module(store_, linker_, options.verbose ? &out : nullptr);
    if (!defined) setup_error_ = defined.error().to_string();
  }

  void run(const Command& command);
  void skip_all(const Command& command, const std::string& reason) { skip(command, reason); }

 private:
  enum class SlotState { Ready, Skipped, Failed };
  struct ModuleSlot {
    SlotState state = SlotState::Failed;
    engine::Instance* instance = nullptr;
    uint32_t line = 0;
  };

  void pass() { ++result_.passed; }
  void fail(const Command& command, std::string message) {
    ++result_.failed;
    result_.failures.push_back(Note{command.line, command.type, std::move(message)});
  }
  void skip(const Command& command, std::string reason) {
    ++result_.skipped;
    if (options_.verbose) result_.skips.push_back(Note{command.line, command.type, std::move(reason)});
  }
  void warn(const Command& command, std::string message) {
    if (options_.verbose) {
      result_.warnings.push_back(Note{command.line, command.type, std::move(message)});
    }
  }

  Expected<std::shared_ptr<const engine::CompiledModule>> load(const Command& command);
  void run_module(const Command& command);
  void run_register(const Command& command);
  void run_action_command(const Command& command);
  void run_assert_invalid_or_malformed(const Command& command);
  void run_assert_unlinkable(const Command& command);
  void run_assert_uninstantiable(const Command& command);

  // Finds the module an action or register names; reports skip/fail and returns null when the
  // command cannot go on.
  const ModuleSlot* target(const Command& command, const std::string& name);
  ActionOutcome run_action(const Action& action, engine::Instance& instance);

  std::string dir_;
  const RunOptions& options_;
  FileResult& result_;
  std::string setup_error_;
  engine::Store store_;
  engine::Linker linker_;
  std::map<std::string, ModuleSlot> named_;
  ModuleSlot last_;
  bool have_last_ = false;
};

void FileRunner::run(const Command& command) {
  if (!setup_error_.empty()) {
    fail(command, "cannot define the spectest module: " + setup_error_);
    return;
  }
  switch (command.kind) {
    case CommandKind::Module:
      return run_module(command);
    case CommandKind::Register:
      return run_register(command);
    case CommandKind::Action:
    case CommandKind::AssertReturn:
    case CommandKind::AssertExhaustion:
      return run_action_command(command);
    case CommandKind::AssertTrap:
      // wast2json writes (assert_trap (module ...)) as a module-level trap.
      if (!command.action) return run_assert_uninstantiable(command);
      return run_action_command(command);
    case CommandKind::AssertInvalid:
    case CommandKind::AssertMalformed:
      return run_assert_invalid_or_malformed(command);
    case CommandKind::AssertUnlinkable:
      return run_assert_unlinkable(command);
    case CommandKind::AssertUninstantiable:
      return run_assert_uninstantiable(command);
    case CommandKind::Unknown:
      return fail(command, "unknown command type '" + command.type + "'");
  }
}

Expected<std::shared_ptr<const engine::CompiledModule>> FileRunner::load(const Command& command) {
  std::string path = (std::filesystem::path(dir_) / command.filename).string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Phase::Io, "cannot open " + path);
  std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return engine::load_module(bytes);
}

void FileRunner::run_module(const Command& command) {
  ModuleSlot slot;
  slot.line = command.line;
  auto compiled = load(command);
  if (!compiled) {
    if (mentions_simd(compiled.error().message)) {
      slot.state = SlotState::Skipped;
      skip(command, "uses SIMD: " + compiled.error().to_string());
    } else {
      fail(command, fmt::format("{} failed to load: {}", command.filename,
                                compiled.error().to_string()));
    }
  } else if (auto instance = linker_.instantiate(store_, *compiled); !instance) {
    fail(command, fmt::format("{} failed to instantiate: {}", command.filename,
                              instance.error().to_string()));
  } else {
    slot.state = SlotState::Ready;
    slot.instance = *instance;
    pass();
  }
  if (!command.name.empty()) named_[command.name] = slot;
  last_ = slot;
  have_last_ = true;
}

const FileRunner::ModuleSlot* FileRunner::target(const Command& command, const std::string& name) {
  const ModuleSlot* slot = nullptr;
  if (name.empty()) {
    if (have_last_) slot = &last_;
  } else if (auto it = named_.find(name); it != named_.end()) {
    slot = &it->second;
  }
  if (!slot) {
    fail(command, name.empty() ? "no module defined yet" : "unknown module " + name);
    return nullptr;
  }
  switch (slot->state) {
    case SlotState::Ready:
      return slot;
    case SlotState::Skipped:
      skip(command, fmt::format("its module (line {}) was skipped", slot->line));
      return nullptr;
    case SlotState::Failed:
      fail(command, fmt::format("its module (line {}) failed to load", slot->line));
      return nullptr;
  }
  return nullptr;
}

void FileRunner::run_register(const Command& command) {
  const ModuleSlot* slot = target(command, command.name);
  if (!slot) return;
  linker_.define_instance(command.as, *slot->instance);
  pass();
}

ActionOutcome FileRunner::run_action(const Action& action, engine::Instance& instance) {
  if (has_v128(action.args)) return Skipped{"v128 argument (no SIMD)"};
  if (action.kind == Action::Kind::Get) {
    const engine::Extern* ext = instance.find_export(action.field);
    if (!ext) return Broken{"no export named \"" + action.field + "\""};
    if (ext->kind != wasm::ExternKind::Global || !ext->global) {
      return Broken{"export \"" + action.field + "\" is not a global"};
    }
    if (ext->global->type.type == wasm::ValType::V128) return Skipped{"v128 global (no SIMD)"};
    return Returned{{ext->global->get()}};
  }
  engine::FuncInst* func = instance.find_function(action.field);
  if (!func) return Broken{"no exported function named \"" + action.field + "\""};
  std::vector<Value> args;
  for (const auto& spec : action.args) {
    auto value = parse_argument(spec);
    if (!value) return Broken{"bad argument: " + value.error().message};
    args.push_back(*value);
  }
  const auto& params = func->type.params;
  bool types_match = params.size() == args.size();
  for (size_t i = 0; types_match && i < args.size(); ++i) types_match = params[i] == args[i].type;
  if (!types_match) {
    return Broken{fmt::format("arguments {} do not fit \"{}\" of type {}", describe_all(args),
                              action.field, wasm::to_string(func->type))};
  }
  if (std::find(func->type.results.begin(), func->type.results.end(), wasm::ValType::V128) !=
      func->type.results.end()) {
    return Skipped{"v128 result (no SIMD)"};
  }
  auto results = store_.invoke(*func, args);
  if (!results) return Trapped{std::move(results).error()};
  return Returned{std::move(*results)};
}

void FileRunner::run_action_command(const Command& command) {
  if (has_v128(command.expected)) return skip(command, "v128 result (no SIMD)");
  if (!command.action) return fail(command, "command has no action");
  const Action& action = *command.action;
  const ModuleSlot* slot = target(command, action.module);
  if (!slot) return;

  // Only assert_return's expected values carry values; assert_trap lists bare result types.
  std::vector<ExpectedValue> expected;
  for (const auto& spec : command.expected) {
    if (command.kind != CommandKind::AssertReturn) break;
    auto value = parse_expected(spec);
    if (!value) return fail(command, "bad expected value: " + value.error().message);
    expected.push_back(*value);
  }

  ActionOutcome outcome = run_action(action, *slot->instance);
  std::string what = fmt::format("\"{}\"", action.field);
  if (auto* skipped = std::get_if<Skipped>(&outcome)) return skip(command, skipped->reason);
  if (auto* broken = std::get_if<Broken>(&outcome)) return fail(command, broken->message);

  bool wants_trap =
      command.kind == CommandKind::AssertTrap || command.kind == CommandKind::AssertExhaustion;
  if (auto* returned = std::get_if<Returned>(&outcome)) {
    if (wants_trap) {
      return fail(command, fmt::format("{}: expected trap \"{}\", got {}", what, command.text,
                                       describe_all(returned->values)));
    }
    if (command.kind == CommandKind::Action) return pass();
    bool ok = returned->values.size() == expected.size();
    for (size_t i = 0; ok && i < expected.size(); ++i) ok = matches(expected[i], returned->values[i]);
    if (!ok) {
      return fail(command, fmt::format("{}: expected {}, got {}", what, describe_all(expected),
                                       describe_all(returned->values)));
    }
    return pass();
  }

  const engine::Trap& trap = std::get<Trapped>(outcome).trap;
  if (!wants_trap) {
    return fail(command, fmt::format("{}: unexpected trap \"{}\"", what, trap.message));
  }
  if (!message_matches(trap.message, command.text)) {
    return fail(command, fmt::format("{}: expected trap \"{}\", got trap \"{}\"", what,
                                     command.text, trap.message));
  }
  pass();
}

void FileRunner::run_assert_invalid_or_malformed(const Command& command) {
  bool malformed = command.kind == CommandKind::AssertMalformed;
  if (command.module_type == "text") {
    return skip(command, "text-format module: Lantern has no text parser");
  }
  auto compiled = load(command);
  if (compiled) {
    return fail(command, fmt::format("{} loaded, expected it to be rejected as {}: \"{}\"",
                                     command.filename, malformed ? "malformed" : "invalid",
                                     command.text));
  }
  const Error& error = compiled.error();
  if (error.phase == Phase::Io) return fail(command, error.to_string());
  if (mentions_simd(error.message)) return skip(command, "uses SIMD: " + error.to_string());
  Phase wanted = malformed ? Phase::Decode : Phase::Validate;
  if (error.phase != wanted) {
    warn(command, fmt::format("rejected in phase {}, the script expects {}: {} (expected \"{}\")",
                              phase_name(error.phase), phase_name(wanted), error.to_string(),
                              command.text));
  } else if (!error.message.starts_with(command.text)) {
    warn(command, fmt::format("message \"{}\", the script says \"{}\"", error.message,
                              command.text));
  }
  pass();
}

void FileRunner::run_assert_unlinkable(const Command& command) {
  auto compiled = load(command);
  if (!compiled) {
    if (mentions_simd(compiled.error().message)) {
      return skip(command, "uses SIMD: " + compiled.error().to_string());
    }
    return fail(command, fmt::format("{} failed to load, expected a link error \"{}\": {}",
                                     command.filename, command.text,
                                     compiled.error().to_string()));
  }
  auto instance = linker_.instantiate(store_, *compiled);
  if (instance) {
    return fail(command, fmt::format("{} instantiated, expected link error \"{}\"",
                                     command.filename, command.text));
  }
  const Error& error = instance.error();
  if (error.phase != Phase::Link) {
    return fail(command, fmt::format("expected link error \"{}\", got {}", command.text,
                                     error.to_string()));
  }
  if (!message_matches(error.message, command.text)) {
    warn(command, fmt::format("link error \"{}\", the script says \"{}\"", error.message,
                              command.text));
  }
  pass();
}

void FileRunner::run_assert_uninstantiable(const Command& command) {
  auto compiled = load(command);
  if (!compiled) {
    if (mentions_simd(compiled.error().message)) {
      return skip(command, "uses SIMD: " + compiled.error().to_string());
    }
    return fail(command, fmt::format("{} failed to load, expected trap \"{}\" while "
                                     "instantiating: {}",
                                     command.filename, command.text, compiled.error().to_string()));
  }
  auto instance = linker_.instantiate(store_, *compiled);
  if (instance) {
    return fail(command, fmt::format("{} instantiated, expected trap \"{}\"", command.filename,
                                     command.text));
  }
  const Error& error = instance.error();
  if (error.phase != Phase::Instantiate || !message_matches(error.message, command.text)) {
    return fail(command, fmt::format("expected trap \"{}\" while instantiating, got {}",
                                     command.text, error.to_string()));
  }
  pass();
}

}  // namespace

Expected<FileResult> run_file(const std::string& json_path, const RunOptions& options,
                              std::ostream& out) {
  std::ifstream in(json_path, std::ios::binary);
  if (!in) return make_error(Phase::Io, "cannot open " + json_path);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto script = parse_script(text);
  if (!script) {
    Error error = std::move(script).error();
    error.message = json_path + ": " + error.message;
    return Unexpected{std::move(error)};
  }

  FileResult result;
  result.file = json_path;
  std::filesystem::path path(json_path);
  bool simd_file = path.filename().string().starts_with("simd_");
  FileRunner runner(path.parent_path().string(), options, out, result);
  for (const auto& command : script->commands) {
    if (options.before_command) options.before_command(command, result);
    if (simd_file) {
      runner.skip_all(command, "SIMD test file");
    } else {
      runner.run(command);
    }
  }
  return result;
}

}  // namespace lantern::spectest
