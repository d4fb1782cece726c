#include "lantern/engine/linker.h"

#include "code.h"

namespace lantern::engine {

void Linker::define(const std::string& module, const std::string& name, Extern value) {
  defs_[{module, name}] = value;
}

void Linker::define_instance(const std::string& module_name, const Instance& instance) {
  for (const auto& [name, ext] : instance.exports) define(module_name, name, ext);
}

Expected<std::vector<Extern>> Linker::resolve(const wasm::Module& module) const {
  std::vector<Extern> out;
  out.reserve(module.imports.size());
  for (const auto& imp : module.imports) {
    auto it = defs_.find({imp.module, imp.name});
    if (it == defs_.end())
      return make_error(Phase::Link, "unknown import: " + imp.module + "." + imp.name);
    out.push_back(it->second);
  }
  return out;
}

Expected<Instance*> Linker::instantiate(Store& store,
                                        std::shared_ptr<const CompiledModule> module) const {
  auto imports = resolve(module->module);
  if (!imports) return Unexpected{std::move(imports).error()};
  return store.instantiate(std::move(module), *imports);
}

}  // namespace lantern::engine
