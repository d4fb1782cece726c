#include "lantern/engine/compiler.h"

#include "code.h"
#include "lantern/wasm/decoder.h"
#include "lantern/wasm/validator.h"
#include "lower.h"

namespace lantern::engine {

Expected<std::shared_ptr<const CompiledModule>> compile_module(wasm::Module module) {
  auto compiled = std::make_shared<CompiledModule>();
  compiled->module = std::move(module);
  const wasm::Module& m = compiled->module;
  const void* const* handlers = interpreter_handlers();
  // Sized up front so every CompiledFunction keeps its address: direct calls embed them.
  compiled->functions.resize(m.functions.size());
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    auto fn = lower_function(m, i, handlers, compiled->functions.data());
    if (!fn) return Unexpected{std::move(fn).error()};
    compiled->functions[i] = std::move(*fn);
  }
  compiled->function_names.reserve(m.total_funcs());
  for (uint32_t i = 0; i < m.total_funcs(); ++i)
    compiled->function_names.push_back(m.function_name(i));
  return std::shared_ptr<const CompiledModule>(std::move(compiled));
}

Expected<std::shared_ptr<const CompiledModule>> load_module(std::span<const uint8_t> bytes) {
  auto module = wasm::decode_module(bytes);
  if (!module) return Unexpected{std::move(module).error()};
  LANTERN_TRY(wasm::validate_module(*module));
  return compile_module(std::move(*module));
}

const wasm::Module& module_of(const CompiledModule& compiled) { return compiled.module; }

}  // namespace lantern::engine
