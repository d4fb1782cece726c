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
  // Sized once, never resized: direct calls embed these addresses. The code itself is lowered
  // on each function's first call (lower_lazily).
  compiled->functions = std::vector<CompiledFunction>(m.functions.size());
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    const wasm::FuncType& type = m.types[m.functions[i].type_index];
    CompiledFunction& fn = compiled->functions[i];
    fn.num_params = static_cast<uint32_t>(type.params.size());
    fn.num_results = static_cast<uint32_t>(type.results.size());
    fn.func_index = m.num_imported_funcs + i;
  }
  compiled->function_names.reserve(m.total_funcs());
  for (uint32_t i = 0; i < m.total_funcs(); ++i)
    compiled->function_names.push_back(m.function_name(i));
  return std::shared_ptr<const CompiledModule>(std::move(compiled));
}

Expected<void> lower_lazily(const CompiledModule& compiled, uint32_t defined_index) {
  CompiledFunction& fn = compiled.functions[defined_index];
  if (fn.lowered()) return {};
  std::lock_guard<std::mutex> lock(compiled.lower_mutex);
  if (fn.frame_size.load(std::memory_order_relaxed) != CompiledFunction::kNotLowered) return {};
  auto frame_size = lower_function(compiled.module, defined_index, interpreter_handlers(),
                                   compiled.functions.data(), fn);
  if (!frame_size) return Unexpected{std::move(frame_size).error()};
  // Release: whoever sees this frame size also sees the code and constants written above.
  fn.frame_size.store(*frame_size, std::memory_order_release);
  return {};
}

Expected<std::shared_ptr<const CompiledModule>> load_module(std::span<const uint8_t> bytes) {
  wasm::DecodeOptions options;
  options.keep_custom_sections = false;  // the engine never writes the module back
  auto module = wasm::decode_module(bytes, options);
  if (!module) return Unexpected{std::move(module).error()};
  LANTERN_TRY(wasm::validate_module(*module));
  return compile_module(std::move(*module));
}

const wasm::Module& module_of(const CompiledModule& compiled) { return compiled.module; }

Expected<void> lower_all_functions(const CompiledModule& compiled) {
  for (uint32_t i = 0; i < compiled.functions.size(); ++i) LANTERN_TRY(lower_lazily(compiled, i));
  return {};
}

}  // namespace lantern::engine
