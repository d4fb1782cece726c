#include <algorithm>

#include "lantern/engine/store.h"
#include "runtime.h"

namespace lantern::engine {

std::unique_ptr<MemInst> allocate_memory(const wasm::MemoryType& type, uint32_t limit_pages);

MemInst* Caller::memory() {
  if (!instance_ || instance_->memories.empty()) return nullptr;
  return instance_->memories[0];
}

const Extern* Instance::find_export(const std::string& name) const {
  auto it = exports.find(name);
  return it == exports.end() ? nullptr : &it->second;
}

FuncInst* Instance::find_function(const std::string& name) const {
  const Extern* e = find_export(name);
  return e && e->kind == wasm::ExternKind::Func ? e->func : nullptr;
}

Store::Store(StoreLimits limits) : limits_(limits) {}
Store::~Store() = default;

uint32_t Store::intern_type(const wasm::FuncType& type) {
  auto it = std::find(types_.begin(), types_.end(), type);
  if (it != types_.end()) return static_cast<uint32_t>(it - types_.begin());
  types_.push_back(type);
  return static_cast<uint32_t>(types_.size() - 1);
}

FuncInst* Store::add_host_function(std::string debug_name, wasm::FuncType type,
                                   HostCallback callback) {
  auto f = std::make_unique<FuncInst>();
  f->type_id = intern_type(type);
  f->type = std::move(type);
  f->host = std::move(callback);
  f->debug_name = std::move(debug_name);
  funcs_.push_back(std::move(f));
  return funcs_.back().get();
}

TableInst* Store::add_table(wasm::TableType type, uint64_t init) {
  auto t = std::make_unique<TableInst>();
  t->type = type;
  t->max_elems = limits_.max_table_elems;
  t->elems.assign(type.limits.min, init);
  tables_.push_back(std::move(t));
  return tables_.back().get();
}

Expected<MemInst*> Store::add_memory(wasm::MemoryType type) {
  auto m = allocate_memory(type, limits_.max_memory_pages);
  if (!m)
    return make_error(Phase::Instantiate, "cannot allocate memory of " +
                                              std::to_string(type.limits.min) + " pages (limit " +
                                              std::to_string(limits_.max_memory_pages) + ")");
  memories_.push_back(std::move(m));
  return memories_.back().get();
}

GlobalInst* Store::add_global(wasm::GlobalType type, Value value) {
  auto g = std::make_unique<GlobalInst>();
  g->type = type;
  g->bits = value.bits;
  globals_.push_back(std::move(g));
  return globals_.back().get();
}

Expected<std::vector<Value>, Trap> Store::invoke(const FuncInst& func,
                                                 std::span<const Value> args) {
  using Result = Expected<std::vector<Value>, Trap>;
  if (args.size() != func.type.params.size())
    return Result::failure(Trap::host("wrong number of arguments: expected " +
                                      std::to_string(func.type.params.size()) + ", got " +
                                      std::to_string(args.size())));
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i].type != func.type.params[i])
      return Result::failure(Trap::host("argument " + std::to_string(i) + " has type " +
                                        wasm::to_string(args[i].type) + ", expected " +
                                        wasm::to_string(func.type.params[i])));
  if (!runtime_) runtime_ = std::make_unique<Runtime>(limits_);
  Runtime& rt = *runtime_;
  Slot* base = rt.top;
  size_t width = std::max(func.type.params.size(), func.type.results.size());
  if (base + width > rt.stack.get() + rt.stack_slots)
    return Result::failure(Trap::of(TrapKind::CallStackExhausted));
  for (size_t i = 0; i < args.size(); ++i) base[i].u64 = args[i].bits;
  Slot* saved_top = rt.top;
  rt.top = base + width;
  auto status = execute(*this, rt, func, base);
  rt.top = saved_top;
  if (!status) return Result::failure(std::move(status).error());
  std::vector<Value> results;
  results.reserve(func.type.results.size());
  for (size_t i = 0; i < func.type.results.size(); ++i) {
    ValType t = func.type.results[i];
    bool narrow = t == ValType::I32 || t == ValType::F32;
    results.push_back(Value{t, narrow ? (base[i].u64 & 0xFFFFFFFFu) : base[i].u64});
  }
  return results;
}

}  // namespace lantern::engine
