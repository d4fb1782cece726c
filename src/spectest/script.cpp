// wast2json JSON -> Script. Uses nlohmann-json without exceptions: every field is checked.
#include "lantern/spectest/script.h"

#include <nlohmann/json.hpp>

#include <utility>

namespace lantern::spectest {
namespace {

using Json = nlohmann::json;

std::string string_field(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

CommandKind kind_of(const std::string& type) {
  static constexpr std::pair<const char*, CommandKind> kKinds[] = {
      {"module", CommandKind::Module},
      {"register", CommandKind::Register},
      {"action", CommandKind::Action},
      {"assert_return", CommandKind::AssertReturn},
      {"assert_trap", CommandKind::AssertTrap},
      {"assert_exhaustion", CommandKind::AssertExhaustion},
      {"assert_invalid", CommandKind::AssertInvalid},
      {"assert_malformed", CommandKind::AssertMalformed},
      {"assert_unlinkable", CommandKind::AssertUnlinkable},
      {"assert_uninstantiable", CommandKind::AssertUninstantiable},
  };
  for (const auto& [name, kind] : kKinds) {
    if (type == name) return kind;
  }
  return CommandKind::Unknown;
}

Expected<std::vector<ValueSpec>> parse_values(const Json& object, const char* key, uint32_t line) {
  std::vector<ValueSpec> values;
  auto it = object.find(key);
  if (it == object.end()) return values;
  if (!it->is_array()) {
    return make_error(Phase::Config, "line " + std::to_string(line) + ": '" + key +
                                         "' is not an array");
  }
  for (const auto& item : *it) {
    if (!item.is_object()) {
      return make_error(Phase::Config, "line " + std::to_string(line) + ": bad value in '" + key + "'");
    }
    // v128 values are arrays of lanes; SIMD is skipped, so only their type matters.
    values.push_back(ValueSpec{string_field(item, "type"), string_field(item, "value")});
  }
  return values;
}

Expected<Action> parse_action(const Json& object, uint32_t line) {
  Action action;
  std::string type = string_field(object, "type");
  if (type == "invoke") {
    action.kind = Action::Kind::Invoke;
  } else if (type == "get") {
    action.kind = Action::Kind::Get;
  } else {
    return make_error(Phase::Config,
                      "line " + std::to_string(line) + ": unknown action type '" + type + "'");
  }
  action.module = string_field(object, "module");
  action.field = string_field(object, "field");
  auto args = parse_values(object, "args", line);
  if (!args) return Unexpected{std::move(args).error()};
  action.args = std::move(*args);
  return action;
}

}  // namespace

Expected<Script> parse_script(std::string_view json_text) {
  Json root = Json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return make_error(Phase::Config, "not valid JSON");
  }
  auto commands = root.find("commands");
  if (commands == root.end() || !commands->is_array()) {
    return make_error(Phase::Config, "no 'commands' array: not a wast2json file");
  }
  Script script;
  script.source_filename = string_field(root, "source_filename");
  for (const auto& item : *commands) {
    if (!item.is_object()) return make_error(Phase::Config, "a command is not a JSON object");
    Command command;
    command.type = string_field(item, "type");
    command.kind = kind_of(command.type);
    auto line = item.find("line");
    if (line != item.end() && line->is_number_unsigned()) command.line = line->get<uint32_t>();
    command.filename = string_field(item, "filename");
    command.module_type = string_field(item, "module_type");
    command.name = string_field(item, "name");
    command.as = string_field(item, "as");
    command.text = string_field(item, "text");
    auto action = item.find("action");
    if (action != item.end()) {
      if (!action->is_object()) {
        return make_error(Phase::Config,
                          "line " + std::to_string(command.line) + ": 'action' is not an object");
      }
      auto parsed = parse_action(*action, command.line);
      if (!parsed) return Unexpected{std::move(parsed).error()};
      command.action = std::move(*parsed);
    }
    auto expected = parse_values(item, "expected", command.line);
    if (!expected) return Unexpected{std::move(expected).error()};
    command.expected = std::move(*expected);
    script.commands.push_back(std::move(command));
  }
  return script;
}

}  // namespace lantern::spectest
