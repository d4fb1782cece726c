// Test fixture: assemble WAT, instantiate it with a few host imports, invoke exports.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lantern/engine/compiler.h"
#include "lantern/engine/host.h"
#include "lantern/engine/linker.h"
#include "lantern/engine/store.h"
#include "support/test_support.h"

namespace lantern::engine {

class EngineTest : public ::testing::Test {
 protected:
  // Instantiates `wat`; fails the test on any error.
  Instance* load(const std::string& wat, const std::string& register_as = "") {
    auto compiled = load_module(testing::wat_to_wasm(wat));
    EXPECT_TRUE(compiled) << (compiled ? "" : compiled.error().to_string());
    if (!compiled) return nullptr;
    auto inst = linker.instantiate(store, *compiled);
    EXPECT_TRUE(inst) << (inst ? "" : inst.error().to_string());
    if (!inst) return nullptr;
    if (!register_as.empty()) linker.define_instance(register_as, **inst);
    return *inst;
  }
  Expected<std::vector<Value>, Trap> call(Instance* inst, const std::string& name,
                                          std::vector<Value> args = {}) {
    FuncInst* f = inst->find_function(name);
    EXPECT_NE(f, nullptr) << "no export " << name;
    if (!f) return Expected<std::vector<Value>, Trap>::failure(Trap::host("no export"));
    return store.invoke(*f, args);
  }
  int64_t call_int(Instance* inst, const std::string& name, std::vector<Value> args = {}) {
    auto r = call(inst, name, std::move(args));
    EXPECT_TRUE(r) << name << ": " << (r ? "" : r.error().message);
    if (!r || r->empty()) return -999999;
    return (*r)[0].type == ValType::I32 ? (*r)[0].as_i32() : (*r)[0].as_i64();
  }
  std::string trap_of(Instance* inst, const std::string& name, std::vector<Value> args = {}) {
    auto r = call(inst, name, std::move(args));
    return r ? "no trap" : r.error().message;
  }

  Store store;
  Linker linker;
};

}  // namespace lantern::engine
