// Engine-native function tracing: traces the Wasm functions of uninstrumented modules through
// the engine's call hook (engine::CallListener), without rewriting them. Functions are chosen by
// glob patterns on their (demangled) names; no patterns = every function.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "lantern/engine/store.h"
#include "lantern/observe/collector.h"

namespace lantern::observe {

class FunctionTracer final : public engine::CallListener {
 public:
  FunctionTracer(Collector& collector, std::vector<std::string> globs);

  void on_enter(const engine::FuncInst& func) override;
  void on_exit(const engine::FuncInst& func) override;

 private:
  // Which functions of `instance` are traced, by module function index (computed once).
  const std::vector<bool>& selection(const engine::Instance* instance);

  Collector& collector_;
  std::vector<std::string> globs_;
  std::unordered_map<const engine::Instance*, std::vector<bool>> selections_;
  const engine::Instance* last_instance_ = nullptr;
  const std::vector<bool>* last_selection_ = nullptr;
};

}  // namespace lantern::observe
