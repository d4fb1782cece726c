// The code section: locals, and one walk over every body with the instruction reader so that
// malformed instructions and a missing final `end` are decode errors.
#include <limits>

#include "lantern/wasm/instr_reader.h"
#include "wasm/decoder_internal.h"

namespace lantern::wasm::detail {

Expected<size_t> scan_expression(DecodeContext& ctx, size_t start, bool& uses_data_count) {
  const auto bytes = ctx.reader.bytes();
  // The reader may run past the body's declared size, as the reference interpreter does; the
  // caller then reports "section size mismatch".
  InstrReader reader(bytes.subspan(start), ctx.reader.offset(start));
  enum : uint8_t { kBlock, kIf, kElse };
  auto& stack = ctx.block_stack;
  stack.clear();
  for (;;) {
    auto instr = reader.next();
    if (!instr) return ctx.reader.with_context(std::move(instr).error());
    switch (instr->op) {
      case Opcode::Block:
      case Opcode::Loop:
        stack.push_back(kBlock);
        break;
      case Opcode::If:
        stack.push_back(kIf);
        break;
      case Opcode::Else:
        if (stack.empty() || stack.back() != kIf)
          return ctx.reader.error("END opcode expected", start + (reader.position() - 1));
        stack.back() = kElse;
        break;
      case Opcode::End:
        if (stack.empty()) return start + reader.position();
        stack.pop_back();
        break;
      case Opcode::MemoryInit:
      case Opcode::DataDrop:
        uses_data_count = true;
        break;
      default:
        break;
    }
  }
}

namespace {

Expected<void> read_locals(DecodeContext& ctx, Function& function) {
  auto& r = ctx.reader;
  const size_t at = r.pos();
  LANTERN_ASSIGN(const uint32_t runs, r.len32());
  function.locals.reserve(runs);
  uint64_t total = 0;
  for (uint32_t i = 0; i < runs; ++i) {
    LocalRun run;
    LANTERN_ASSIGN(run.count, r.u32());
    LANTERN_ASSIGN(run.type, r.value_type());
    total += run.count;
    function.locals.push_back(run);
  }
  if (total > std::numeric_limits<uint32_t>::max() || total > ctx.options.max_locals_per_function)
    return r.error("too many locals", at);
  return {};
}

}  // namespace

Expected<void> decode_code_section(DecodeContext& ctx) {
  auto& r = ctx.reader;
  auto& module = ctx.module;
  LANTERN_ASSIGN(const uint32_t count, r.len32());
  // A count that differs from the function section is reported after all sections, as the
  // reference interpreter does; extra bodies are still checked, into a scratch function.
  ctx.code_count = count;
  Function extra;
  for (uint32_t i = 0; i < count; ++i) {
    Function& function = i < module.functions.size() ? module.functions[i] : (extra = {});
    r.set_function(module.num_imported_funcs + i);
    function.entry_offset = r.offset(r.pos());
    LANTERN_ASSIGN(const uint32_t size, r.len32());
    const size_t body_start = r.pos();
    LANTERN_TRY(read_locals(ctx, function));
    const size_t code_start = r.pos();
    bool uses_data_count = false;
    LANTERN_ASSIGN(const size_t end, scan_expression(ctx, code_start, uses_data_count));
    if (end != body_start + size) return r.error("section size mismatch", body_start);
    ctx.code_uses_data_count |= uses_data_count;
    function.body.assign(r.bytes().begin() + code_start, r.bytes().begin() + end);
    function.body_offset = r.offset(code_start);
    r.seek(end);
  }
  r.set_function(Error::kNoIndex);
  return {};
}

}  // namespace lantern::wasm::detail
