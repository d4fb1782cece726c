// The Observe API end to end: C guests compiled here call it directly; `lantern run
// --trace-file` writes OTLP/JSON lines, which are read back and checked span by span.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace lantern::testing {
namespace {

using nlohmann::json;

std::string compile_guest(const std::string& name) {
  std::string out = temp_dir() + "/" + name + ".wasm";
  std::string output;
  int rc = run_command(std::string(LANTERN_CLANG) + " --target=wasm32-wasi -O2 " +
                           LANTERN_OBSERVE_GUESTS "/" + name + ".c -o " + out,
                       output);
  EXPECT_EQ(rc, 0) << output;
  return out;
}

struct Telemetry {
  std::vector<json> spans;  // with "scope" added: the scope name
  std::vector<json> logs;
  std::vector<json> metrics;

  const json* span(const std::string& name) const {
    for (const json& s : spans)
      if (s["name"] == name) return &s;
    return nullptr;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const json& s : spans) out.push_back(s["name"]);
    return out;
  }
};

Telemetry read_telemetry(const std::string& path) {
  Telemetry t;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    json request = json::parse(line);
    for (const json& rs : request.value("resourceSpans", json::array()))
      for (const json& ss : rs["scopeSpans"])
        for (json s : ss["spans"]) {
          s["scope"] = ss["scope"]["name"];
          t.spans.push_back(s);
        }
    for (const json& rl : request.value("resourceLogs", json::array()))
      for (const json& sl : rl["scopeLogs"])
        for (const json& l : sl["logRecords"]) t.logs.push_back(l);
    for (const json& rm : request.value("resourceMetrics", json::array()))
      for (const json& sm : rm["scopeMetrics"])
        for (const json& m : sm["metrics"]) t.metrics.push_back(m);
  }
  return t;
}

std::string attribute(const json& item, const std::string& key) {
  for (const json& a : item.value("attributes", json::array())) {
    if (a["key"] != key) continue;
    const json& v = a["value"];
    if (v.contains("stringValue")) return v["stringValue"];
    if (v.contains("intValue")) return v["intValue"];
    if (v.contains("boolValue")) return v["boolValue"] ? "true" : "false";
    if (v.contains("doubleValue")) return std::to_string(v["doubleValue"].get<double>());
  }
  return "<missing>";
}

int run_traced(const std::string& wasm, const std::string& trace, const std::string& extra,
               std::string& output) {
  return run_command("timeout -s KILL 60 " + std::string(LANTERN_BINARY) + " run --trace-file " +
                         trace + " " + extra + " " + wasm,
                     output);
}

// The guest's spans sit under wasm.call, which sits under lantern.execution: one trace.
void expect_host_tree(const Telemetry& t) {
  const json* execution = t.span("lantern.execution");
  const json* call = t.span("wasm.call _start");
  ASSERT_TRUE(execution && call);
  EXPECT_EQ((*call)["parentSpanId"], (*execution)["spanId"]);
  EXPECT_FALSE(execution->contains("parentSpanId"));
  ASSERT_TRUE(t.span("compile") && t.span("instantiate"));
  EXPECT_EQ((*t.span("compile"))["parentSpanId"], (*execution)["spanId"]);
  for (const json& s : t.spans) EXPECT_EQ(s["traceId"], (*execution)["traceId"]) << s["name"];
  EXPECT_EQ(attribute(*execution, "wasm.module.sha256").size(), 64u);
}

TEST(ObserveEndToEnd, NestedSpansTagsLogsMetricsAndMemory) {
  std::string wasm = compile_guest("nested");
  std::string trace = temp_dir() + "/nested.jsonl";
  std::string output;
  // A minimum of a minute: "empty" is dropped however loaded the machine is; the others are
  // kept for what they carry, not for their length.
  ASSERT_EQ(run_traced(wasm, trace, "--min-span-duration 1m", output), 0) << output;
  Telemetry t = read_telemetry(trace);
  expect_host_tree(t);
  const json* outer = t.span("outer");
  const json* work = t.span("work");
  const json* quick = t.span("quick");
  ASSERT_TRUE(outer && work && quick) << ::testing::PrintToString(t.names());
  EXPECT_EQ(t.span("empty"), nullptr) << "short and carrying nothing";
  EXPECT_EQ((*outer)["parentSpanId"], (*t.span("wasm.call _start"))["spanId"]);
  EXPECT_EQ((*work)["parentSpanId"], (*outer)["spanId"]);
  EXPECT_EQ((*quick)["parentSpanId"], (*outer)["spanId"]);
  EXPECT_EQ((*outer)["scope"], "lantern.guest");
  EXPECT_EQ(attribute(*work, "item"), "42");
  EXPECT_EQ(attribute(*work, "kind"), "batch");
  EXPECT_EQ(attribute(*quick, "fast"), "yes");

  // Five logs, one per level, correlated with `work`; plus the warning about the bad metric.
  std::map<std::string, int> levels;
  for (const json& l : t.logs) {
    if (l["body"]["stringValue"] != "message at a level") continue;
    ++levels[l["severityText"]];
    EXPECT_EQ(l["spanId"], (*work)["spanId"]);
    EXPECT_EQ(l["traceId"], (*work)["traceId"]);
  }
  EXPECT_EQ(levels, (std::map<std::string, int>{
                        {"ERROR", 1}, {"WARN", 1}, {"INFO", 1}, {"DEBUG", 1}, {"TRACE", 1}}));
  int log_events = 0, grow_events = 0;
  for (const json& e : (*work)["events"]) {
    log_events += e["name"] == "log" && attribute(e, "log.message") == "message at a level";
    grow_events += e["name"] == "memory.grow";
  }
  EXPECT_EQ(log_events, 5);
  EXPECT_EQ(grow_events, 1);
  EXPECT_EQ(attribute(*work, "wasm.memory.grown_bytes"), std::to_string(64 * 65536));

  std::map<std::string, json> metrics;
  for (const json& m : t.metrics) metrics[m["name"]] = m;
  ASSERT_EQ(metrics.size(), 4u) << "the invalid line is not a metric";
  EXPECT_TRUE(metrics["jobs.done"].contains("sum"));
  EXPECT_TRUE(metrics["queue.depth"].contains("gauge"));
  EXPECT_TRUE(metrics["step.time"].contains("histogram"));
  EXPECT_EQ(metrics["step.time"]["unit"], "ms");
  EXPECT_TRUE(metrics["payload.size"].contains("histogram"));
  const json* execution = t.span("lantern.execution");
  EXPECT_EQ(attribute(*execution, "lantern.guest.invalid_metrics"), "1");
  EXPECT_EQ(attribute(*execution, "lantern.exit_code"), "0");
}

TEST(ObserveEndToEnd, TrapClosesEveryOpenSpanWithTheError) {
  std::string wasm = compile_guest("trap");
  std::string trace = temp_dir() + "/trap.jsonl";
  std::string output;
  ASSERT_EQ(run_traced(wasm, trace, "", output), 1) << output;
  Telemetry t = read_telemetry(trace);
  expect_host_tree(t);
  const json* outer = t.span("outer");
  const json* middle = t.span("middle");
  const json* inner = t.span("inner");
  ASSERT_TRUE(outer && middle && inner) << ::testing::PrintToString(t.names());
  EXPECT_EQ((*inner)["parentSpanId"], (*middle)["spanId"]);
  EXPECT_EQ((*middle)["parentSpanId"], (*outer)["spanId"]);
  EXPECT_EQ((*inner)["status"]["code"], 2);
  EXPECT_EQ((*inner)["status"]["message"], "integer divide by zero");
  bool exception = false;
  for (const json& e : (*inner)["events"]) {
    if (e["name"] != "exception") continue;
    exception = true;
    EXPECT_EQ(attribute(e, "exception.message"), "integer divide by zero");
  }
  EXPECT_TRUE(exception);
  EXPECT_EQ((*t.span("wasm.call _start"))["status"]["code"], 2);
  EXPECT_EQ((*t.span("lantern.execution"))["status"]["code"], 2);
}

TEST(ObserveEndToEnd, ProcExitInsideSpansExportsThemWithTheCode) {
  std::string wasm = compile_guest("exit");
  std::string trace = temp_dir() + "/exit.jsonl";
  std::string output;
  ASSERT_EQ(run_traced(wasm, trace, "", output), 7) << output;
  Telemetry t = read_telemetry(trace);
  expect_host_tree(t);
  const json* outer = t.span("outer");
  const json* inner = t.span("inner");
  ASSERT_TRUE(outer && inner) << ::testing::PrintToString(t.names());
  EXPECT_EQ((*inner)["parentSpanId"], (*outer)["spanId"]);
  EXPECT_EQ(attribute(*inner, "exiting"), "soon");
  EXPECT_EQ(attribute(*t.span("wasm.call _start"), "wasm.exit_code"), "7");
  EXPECT_EQ(attribute(*t.span("lantern.execution"), "lantern.exit_code"), "7");
  // The guest was told its parent: the call span.
  const json* call = t.span("wasm.call _start");
  std::string expected = "TRACEPARENT=00-" + (*call)["traceId"].get<std::string>() + "-" +
                         (*call)["spanId"].get<std::string>() + "-01";
  EXPECT_NE(output.find(expected), std::string::npos) << output;
}

TEST(ObserveEndToEnd, AFullTraceFileIsReportedAndLeavesTheExitCodeAlone) {
  std::string wasm = compile_guest("exit");
  std::string output;
  ASSERT_EQ(run_traced(wasm, "/dev/full", "", output), 7) << output;
  EXPECT_NE(output.find("the trace file is incomplete"), std::string::npos) << output;
}

TEST(ObserveEndToEnd, TimeoutExportsTheSpanThatWasRunning) {
  std::string wasm = compile_guest("spin");
  std::string trace = temp_dir() + "/spin.jsonl";
  std::string output;
  ASSERT_EQ(run_traced(wasm, trace, "--timeout 100ms", output), 124) << output;
  Telemetry t = read_telemetry(trace);
  expect_host_tree(t);
  const json* spinning = t.span("spinning");
  ASSERT_NE(spinning, nullptr) << ::testing::PrintToString(t.names());
  EXPECT_EQ((*spinning)["status"]["code"], 2);
  EXPECT_NE((*spinning)["status"]["message"].get<std::string>().find("timeout"), std::string::npos);
}

TEST(ObserveEndToEnd, IncomingTraceparentBecomesTheParent) {
  std::string wasm = compile_guest("exit");
  std::string trace = temp_dir() + "/parent.jsonl";
  std::string output;
  std::string parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  ASSERT_EQ(run_traced(wasm, trace, "--traceparent " + parent, output), 7) << output;
  Telemetry t = read_telemetry(trace);
  const json* execution = t.span("lantern.execution");
  ASSERT_NE(execution, nullptr);
  EXPECT_EQ((*execution)["traceId"], "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ((*execution)["parentSpanId"], "b7ad6b7169203331");
  ASSERT_EQ(run_command("TRACEPARENT=" + parent + " " + LANTERN_BINARY + " run --trace-file " +
                            trace + "2 " + wasm,
                        output),
            7);
  EXPECT_EQ((*read_telemetry(trace + "2").span("lantern.execution"))["parentSpanId"],
            "b7ad6b7169203331");
}

}  // namespace
}  // namespace lantern::testing
