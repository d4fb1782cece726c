// Resolves a module's imports by (module, name) against host definitions and registered instances.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lantern/engine/store.h"
#include "lantern/util/expected.h"

namespace lantern::engine {

class Linker {
 public:
  void define(const std::string& module, const std::string& name, Extern value);
  // Makes every export of `instance` importable as (module_name, export name).
  void define_instance(const std::string& module_name, const Instance& instance);

  // One Extern per import of `module`, in order; "unknown import: mod.name" (phase Link) when
  // something is missing. Types are checked by Store::instantiate.
  Expected<std::vector<Extern>> resolve(const wasm::Module& module) const;

  Expected<Instance*> instantiate(Store& store, std::shared_ptr<const CompiledModule> module) const;

 private:
  std::map<std::pair<std::string, std::string>, Extern> defs_;
};

}  // namespace lantern::engine
