// Names of one module's functions as spans show them: the `name` section demangled (C++ and
// Rust), else the export or import name, else func[N]. Resolved on first use and cached, since
// most functions of a module never produce a kept span.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lantern::engine {
struct CompiledModule;
}

namespace lantern::observe {

// Module names of the Observe guest API; calls into them are never traced as functions.
bool is_observe_module(const std::string& module);

class ModuleNames {
 public:
  explicit ModuleNames(std::shared_ptr<const engine::CompiledModule> module);

  const std::string& function(uint32_t index);
  bool has_function(uint32_t index) const { return index < names_.size(); }
  bool is_observe_import(uint32_t index) const {
    return index < observe_imports_.size() && observe_imports_[index];
  }
  const std::string& module_name() const { return module_name_; }

 private:
  std::shared_ptr<const engine::CompiledModule> module_;
  std::vector<std::optional<std::string>> names_;
  std::vector<bool> observe_imports_;
  std::string module_name_;
  std::string out_of_range_;
};

}  // namespace lantern::observe
