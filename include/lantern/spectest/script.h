// The commands of a wast2json .json file, parsed into plain structs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lantern/util/expected.h"

namespace lantern::spectest {

// A value as written in the script: type ("i32", "f64", "externref", "v128", ...) and its text
// (decimal bit pattern, "nan:canonical", "null", ...). v128 values are lists; only the type is
// kept for them since SIMD is not supported.
struct ValueSpec {
  std::string type;
  std::string value;
};

struct Action {
  enum class Kind { Invoke, Get };
  Kind kind = Kind::Invoke;
  std::string module;  // "$name" of a module command, empty for the most recent module
  std::string field;   // export name
  std::vector<ValueSpec> args;
};

enum class CommandKind {
  Module,
  Register,
  Action,
  AssertReturn,
  AssertTrap,
  AssertExhaustion,
  AssertInvalid,
  AssertMalformed,
  AssertUnlinkable,
  AssertUninstantiable,
  Unknown,
};

struct Command {
  CommandKind kind = CommandKind::Unknown;
  std::string type;  // as written in the file, for messages
  uint32_t line = 0;
  std::string filename;     // module file (module and assert_* on modules)
  std::string module_type;  // "binary" or "text" for assert_* on modules
  std::string name;         // module command: its name; register: the module to register
  std::string as;           // register: the import module name
  std::string text;         // expected failure message
  std::optional<Action> action;
  std::vector<ValueSpec> expected;
};

struct Script {
  std::string source_filename;
  std::vector<Command> commands;
};

// Parses the JSON text of a wast2json output file. Errors have phase Config.
Expected<Script> parse_script(std::string_view json_text);

}  // namespace lantern::spectest
