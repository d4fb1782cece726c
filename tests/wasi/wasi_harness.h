// Test harness: a store + linker with WASI defined, capturing stdout/stderr, and a generator of
// tiny modules that re-export one WASI import as "run" so tests can call it with any arguments.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "lantern/engine/compiler.h"
#include "lantern/engine/linker.h"
#include "lantern/engine/store.h"
#include "lantern/wasi/wasi.h"
#include "support/test_support.h"

namespace lantern::testing {

// A module importing wasi_snapshot_preview1.`name` with parameter types `params` ('i' = i32,
// 'I' = i64) and an i32 result (none when `has_result` is false), exported as "run", plus one
// exported page of memory.
inline std::string wasi_wrapper_wat(const std::string& name, std::string_view params,
                                    bool has_result = true) {
  std::string types, gets;
  for (size_t i = 0; i < params.size(); ++i) {
    types += params[i] == 'I' ? " i64" : " i32";
    gets += " local.get " + std::to_string(i);
  }
  std::string param_decl = types.empty() ? "" : " (param" + types + ")";
  std::string result_decl = has_result ? " (result i32)" : "";
  return "(module (import \"wasi_snapshot_preview1\" \"" + name + "\" (func $f" + param_decl +
         result_decl + "))\n (memory (export \"memory\") 1)\n (func (export \"run\")" +
         param_decl + result_decl + gets + " call $f))";
}

class WasiHarness {
 public:
  WasiHarness() {
    context.stdout_sink = [this](std::string_view s) { out.append(s); };
    context.stderr_sink = [this](std::string_view s) { err.append(s); };
  }
  WasiHarness(const WasiHarness&) = delete;

  // Defines WASI (after the test has filled `context`) and instantiates the module.
  void load(const std::vector<uint8_t>& bytes) {
    wasi::define_wasi(store, linker, context);
    auto compiled = engine::load_module(bytes);
    ASSERT_TRUE(compiled) << compiled.error().to_string();
    auto inst = linker.instantiate(store, *compiled);
    ASSERT_TRUE(inst) << inst.error().to_string();
    instance = *inst;
  }
  void load_wat(const std::string& wat) { load(wat_to_wasm(wat)); }
  void load_wrapper(const std::string& name, std::string_view params) {
    load_wat(wasi_wrapper_wat(name, params));
  }

  Expected<std::vector<engine::Value>, engine::Trap> call(
      const std::string& name, const std::vector<engine::Value>& args = {}) {
    engine::FuncInst* func = instance ? instance->find_function(name) : nullptr;
    EXPECT_NE(func, nullptr) << "no export " << name;
    if (!func) return Expected<std::vector<engine::Value>, engine::Trap>::failure(
        engine::Trap::host("missing export"));
    return store.invoke(*func, args);
  }
  // Calls "run" with i32 arguments and returns its errno result (-1 on a trap).
  int32_t run(std::vector<int64_t> args, std::string_view params = {}) {
    std::vector<engine::Value> values;
    for (size_t i = 0; i < args.size(); ++i) {
      bool is64 = i < params.size() && params[i] == 'I';
      values.push_back(is64 ? engine::Value::i64(args[i])
                            : engine::Value::i32(static_cast<int32_t>(args[i])));
    }
    auto result = call("run", values);
    if (!result) {
      ADD_FAILURE() << "trap: " << result.error().message;
      return -1;
    }
    return result->at(0).as_i32();
  }

  engine::MemInst& memory() { return *instance->find_export("memory")->memory; }
  uint32_t u32_at(uint32_t addr) {
    uint32_t v;
    std::memcpy(&v, memory().data + addr, 4);
    return v;
  }
  uint64_t u64_at(uint32_t addr) {
    uint64_t v;
    std::memcpy(&v, memory().data + addr, 8);
    return v;
  }
  void put_u32(uint32_t addr, uint32_t v) { std::memcpy(memory().data + addr, &v, 4); }
  void put_bytes(uint32_t addr, std::string_view s) {
    std::memcpy(memory().data + addr, s.data(), s.size());
  }
  std::string string_at(uint32_t addr) {
    return std::string(reinterpret_cast<const char*>(memory().data + addr));
  }

  engine::Store store;
  engine::Linker linker;
  wasi::WasiContext context;
  engine::Instance* instance = nullptr;
  std::string out, err;
};

}  // namespace lantern::testing
