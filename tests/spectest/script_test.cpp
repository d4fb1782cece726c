// Parsing wast2json JSON into commands.
#include <gtest/gtest.h>

#include "lantern/spectest/script.h"

namespace lantern::spectest {
namespace {

TEST(SpectestScript, ParsesCommands) {
  const char* json = R"({"source_filename": "x.wast", "commands": [
    {"type": "module", "line": 1, "name": "$m", "filename": "x.0.wasm"},
    {"type": "register", "line": 2, "name": "$m", "as": "reg"},
    {"type": "assert_return", "line": 3, "action": {"type": "invoke", "module": "$m",
      "field": "f", "args": [{"type": "i32", "value": "1"}]},
      "expected": [{"type": "f32", "value": "nan:canonical"}]},
    {"type": "assert_trap", "line": 4, "action": {"type": "get", "field": "g"},
      "text": "unreachable", "expected": [{"type": "i32"}]},
    {"type": "assert_return", "line": 5, "action": {"type": "invoke", "field": "v", "args": []},
      "expected": [{"type": "v128", "lane_type": "i32", "value": ["1", "2", "3", "4"]}]},
    {"type": "assert_malformed", "line": 6, "filename": "x.1.wat", "text": "bad",
      "module_type": "text"},
    {"type": "something_new", "line": 7}]})";
  auto script = parse_script(json);
  ASSERT_TRUE(script) << script.error().to_string();
  EXPECT_EQ(script->source_filename, "x.wast");
  ASSERT_EQ(script->commands.size(), 7u);
  const auto& c = script->commands;
  EXPECT_EQ(c[0].kind, CommandKind::Module);
  EXPECT_EQ(c[0].name, "$m");
  EXPECT_EQ(c[0].filename, "x.0.wasm");
  EXPECT_EQ(c[1].kind, CommandKind::Register);
  EXPECT_EQ(c[1].as, "reg");
  EXPECT_EQ(c[2].kind, CommandKind::AssertReturn);
  EXPECT_EQ(c[2].line, 3u);
  ASSERT_TRUE(c[2].action);
  EXPECT_EQ(c[2].action->kind, Action::Kind::Invoke);
  EXPECT_EQ(c[2].action->module, "$m");
  ASSERT_EQ(c[2].action->args.size(), 1u);
  EXPECT_EQ(c[2].action->args[0].value, "1");
  EXPECT_EQ(c[2].expected[0].value, "nan:canonical");
  EXPECT_EQ(c[3].action->kind, Action::Kind::Get);
  EXPECT_EQ(c[3].text, "unreachable");
  EXPECT_EQ(c[3].expected[0].value, "");
  EXPECT_EQ(c[4].expected[0].type, "v128");
  EXPECT_EQ(c[5].module_type, "text");
  EXPECT_EQ(c[6].kind, CommandKind::Unknown);
}

TEST(SpectestScript, RejectsNonScripts) {
  EXPECT_FALSE(parse_script("not json"));
  EXPECT_FALSE(parse_script("[1, 2]"));
  EXPECT_FALSE(parse_script(R"({"commands": 3})"));
  EXPECT_FALSE(parse_script(R"({"commands": [{"type": "action", "action": {"type": "eval"}}]})"));
  EXPECT_TRUE(parse_script(R"({"commands": []})"));
}

}  // namespace
}  // namespace lantern::spectest
