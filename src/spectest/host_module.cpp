// The `spectest` host module; see host_module.h.
#include "lantern/spectest/host_module.h"

#include <fmt/format.h>

#include "lantern/engine/host.h"

namespace lantern::spectest {

using engine::Caller;
using engine::Extern;
using engine::Value;
using wasm::ValType;

namespace {

void define_print_functions(engine::Store& store, engine::Linker& linker, std::ostream* out) {
  auto define = [&](const char* name, engine::TypedHostFunction fn) {
    auto* func = engine::add_host_function(store, std::string("spectest.") + name, std::move(fn));
    linker.define("spectest", name, Extern::of(func));
  };
  auto emit = [out](const std::string& line) {
    if (out) *out << line << "\n";
  };
  define("print", engine::host_function([emit](Caller&) { emit("spectest.print()"); }));
  define("print_i32", engine::host_function([emit](Caller&, int32_t a) {
           emit(fmt::format("spectest.print_i32({})", a));
         }));
  define("print_i64", engine::host_function([emit](Caller&, int64_t a) {
           emit(fmt::format("spectest.print_i64({})", a));
         }));
  define("print_f32", engine::host_function([emit](Caller&, float a) {
           emit(fmt::format("spectest.print_f32({})", a));
         }));
  define("print_f64", engine::host_function([emit](Caller&, double a) {
           emit(fmt::format("spectest.print_f64({})", a));
         }));
  define("print_i32_f32", engine::host_function([emit](Caller&, int32_t a, float b) {
           emit(fmt::format("spectest.print_i32_f32({}, {})", a, b));
         }));
  define("print_f64_f64", engine::host_function([emit](Caller&, double a, double b) {
           emit(fmt::format("spectest.print_f64_f64({}, {})", a, b));
         }));
}

}  // namespace

Expected<void> define_spectest_module(engine::Store& store, engine::Linker& linker,
                                      std::ostream* print_to) {
  define_print_functions(store, linker, print_to);

  auto global = [&](const char* name, ValType type, Value value) {
    auto* inst = store.add_global(wasm::GlobalType{type, /*is_mutable=*/false}, value);
    linker.define("spectest", name, Extern::of(inst));
  };
  global("global_i32", ValType::I32, Value::i32(666));
  global("global_i64", ValType::I64, Value::i64(666));
  global("global_f32", ValType::F32, Value::f32(666.6f));
  global("global_f64", ValType::F64, Value::f64(666.6));

  auto* table = store.add_table(wasm::TableType{ValType::FuncRef, wasm::Limits{10, 20}});
  linker.define("spectest", "table", Extern::of(table));

  auto memory = store.add_memory(wasm::MemoryType{wasm::Limits{1, 2}});
  if (!memory) return Unexpected{std::move(memory).error()};
  linker.define("spectest", "memory", Extern::of(*memory));
  return {};
}

}  // namespace lantern::spectest
