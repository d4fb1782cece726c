#include "lantern/observe/function_tracer.h"

#include "lantern/engine/compiler.h"
#include "lantern/observe/demangle.h"
#include "lantern/observe/glob.h"

namespace lantern::observe {

FunctionTracer::FunctionTracer(Collector& collector, std::vector<std::string> globs)
    : collector_(collector), globs_(std::move(globs)) {}

const std::vector<bool>& FunctionTracer::selection(const engine::Instance* instance) {
  if (instance == last_instance_) return *last_selection_;
  auto [it, added] = selections_.try_emplace(instance);
  if (added) {
    const wasm::Module& m = engine::module_of(*instance->module);
    it->second.resize(m.total_funcs());
    for (uint32_t i = m.num_imported_funcs; i < m.total_funcs(); ++i) {
      it->second[i] = globs_.empty() || matches_any(globs_, demangle(m.function_name(i)));
    }
  }
  last_instance_ = instance;
  last_selection_ = &it->second;
  return it->second;
}

void FunctionTracer::on_enter(const engine::FuncInst& func) {
  if (func.is_host()) return;  // host calls are the host's business, not the guest's tree
  const std::vector<bool>& traced = selection(func.instance);
  if (func.module_index < traced.size() && traced[func.module_index]) {
    collector_.enter_function(func.instance, func.module_index);
  }
}

void FunctionTracer::on_exit(const engine::FuncInst& func) {
  if (func.is_host()) return;
  const std::vector<bool>& traced = selection(func.instance);
  if (func.module_index < traced.size() && traced[func.module_index]) {
    collector_.exit_function(func.instance, func.module_index);
  }
}

}  // namespace lantern::observe
