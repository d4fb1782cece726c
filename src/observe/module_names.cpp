#include "observe/module_names.h"

#include "lantern/engine/compiler.h"
#include "lantern/observe/demangle.h"

namespace lantern::observe {

bool is_observe_module(const std::string& module) {
  return module == "dylibso:observe/instrument" || module == "dylibso:observe/api" ||
         module == "dylibso_observe";
}

ModuleNames::ModuleNames(std::shared_ptr<const engine::CompiledModule> module)
    : module_(std::move(module)) {
  const wasm::Module& m = engine::module_of(*module_);
  names_.resize(m.total_funcs());
  for (const wasm::Import& import : m.imports) {
    if (import.kind != wasm::ExternKind::Func) continue;
    observe_imports_.push_back(is_observe_module(import.module));
  }
  if (m.names && m.names->module_name) module_name_ = *m.names->module_name;
}

const std::string& ModuleNames::function(uint32_t index) {
  if (index >= names_.size()) {  // the collector refuses such indices; never index past the end
    out_of_range_ = "func[" + std::to_string(index) + "]";
    return out_of_range_;
  }
  std::optional<std::string>& name = names_[index];
  if (!name) name = demangle(engine::module_of(*module_).function_name(index));
  return *name;
}

}  // namespace lantern::observe
