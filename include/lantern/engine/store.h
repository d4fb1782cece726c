// Runtime objects (functions, tables, memories, globals, instances) and the Store that owns them.
// No globals: everything an execution needs hangs off a Store, passed explicitly.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "lantern/engine/trap.h"
#include "lantern/engine/value.h"
#include "lantern/util/expected.h"
#include "lantern/wasm/module.h"

namespace lantern::engine {

class Store;
struct Instance;
struct MemInst;
struct CompiledModule;
struct CompiledFunction;

using HostStatus = Expected<void, Trap>;

// What a host function sees of its caller.
class Caller {
 public:
  Caller(Store& store, Instance* instance) : store_(store), instance_(instance) {}
  Store& store() { return store_; }
  Instance* instance() { return instance_; }  // null when called directly by the embedder
  MemInst* memory();                          // caller's memory 0, or null

 private:
  Store& store_;
  Instance* instance_;
};

// Arguments arrive in slots[0..params); results are written to slots[0..results).
using HostCallback = std::function<HostStatus(Caller&, uint64_t* slots)>;

struct FuncInst {
  wasm::FuncType type;
  uint32_t type_id = 0;          // interned in the store: equal ids <=> equal types
  Instance* instance = nullptr;  // null for host functions
  const CompiledFunction* code = nullptr;
  uint32_t module_index = 0;  // index in its module's function index space
  HostCallback host;          // set for host functions
  std::string debug_name;     // "env.print" for host functions, else the function's name
  bool is_host() const { return instance == nullptr; }
};

struct TableInst {
  wasm::TableType type;
  std::vector<uint64_t> elems;       // references (0 = null)
  uint32_t max_elems = 0xFFFFFFFFu;  // store limit on growth
  // Returns the old size, or -1 when the table cannot grow that far.
  int64_t grow(uint32_t delta, uint64_t init);
};

struct MemInst {
  wasm::MemoryType type;
  uint8_t* data = nullptr;  // stable for the memory's lifetime (reserved address space)
  uint64_t size = 0;        // bytes
  uint32_t max_pages = 0;   // effective limit: min(type max, store limit)
  uint64_t reserved = 0;    // bytes of address space reserved at `data`

  MemInst() = default;
  MemInst(const MemInst&) = delete;
  MemInst& operator=(const MemInst&) = delete;
  ~MemInst();
  uint32_t pages() const { return static_cast<uint32_t>(size / wasm::kPageSize); }
  // Returns the old page count, or -1 when growth fails (limit or out of memory).
  int64_t grow(uint32_t delta_pages);
};

struct GlobalInst {
  wasm::GlobalType type;
  uint64_t bits = 0;
  Value get() const {
    bool narrow = type.type == wasm::ValType::I32 || type.type == wasm::ValType::F32;
    return Value{type.type, narrow ? (bits & 0xFFFFFFFFu) : bits};
  }
};

struct Extern {
  wasm::ExternKind kind = wasm::ExternKind::Func;
  FuncInst* func = nullptr;
  TableInst* table = nullptr;
  MemInst* memory = nullptr;
  GlobalInst* global = nullptr;

  static Extern of(FuncInst* f) { return {wasm::ExternKind::Func, f, nullptr, nullptr, nullptr}; }
  static Extern of(TableInst* t) { return {wasm::ExternKind::Table, nullptr, t, nullptr, nullptr}; }
  static Extern of(MemInst* m) { return {wasm::ExternKind::Memory, nullptr, nullptr, m, nullptr}; }
  static Extern of(GlobalInst* g) {
    return {wasm::ExternKind::Global, nullptr, nullptr, nullptr, g};
  }
};

struct Instance {
  std::shared_ptr<const CompiledModule> module;
  std::vector<FuncInst*> funcs;
  std::vector<TableInst*> tables;
  std::vector<MemInst*> memories;
  std::vector<GlobalInst*> globals;
  std::vector<uint32_t> type_ids;                   // module type index -> store type id
  std::vector<std::vector<uint64_t>> elem_segs;     // emptied by elem.drop
  std::vector<std::span<const uint8_t>> data_segs;  // emptied by data.drop
  std::unordered_map<std::string, Extern> exports;

  const Extern* find_export(const std::string& name) const;
  FuncInst* find_function(const std::string& name) const;
};

// Observes every Wasm function entry and exit (tracing). Host functions are reported too.
class CallListener {
 public:
  virtual ~CallListener() = default;
  virtual void on_enter(const FuncInst& func) = 0;
  virtual void on_exit(const FuncInst& func) = 0;
};

struct StoreLimits {
  uint32_t max_call_depth = 20000;        // deeper recursion traps "call stack exhausted"
  uint32_t value_stack_slots = 1u << 21;  // 16 MiB of 8-byte slots
  uint32_t max_memory_pages = wasm::kMaxPages;
  uint32_t max_table_elems = 10'000'000;
};

class Store {
 public:
  explicit Store(StoreLimits limits = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const StoreLimits& limits() const { return limits_; }

  FuncInst* add_host_function(std::string debug_name, wasm::FuncType type, HostCallback callback);
  TableInst* add_table(wasm::TableType type, uint64_t init = 0);
  Expected<MemInst*> add_memory(wasm::MemoryType type);
  GlobalInst* add_global(wasm::GlobalType type, Value value);

  // Links `imports` (one per module import, in order; checked against the import types: errors
  // "unknown import"/"incompatible import type" with phase Link), allocates, initialises
  // segments and runs the start function. Trap during initialisation: phase Instantiate with the
  // trap message; writes made before the trap stay visible, as the spec says.
  Expected<Instance*> instantiate(std::shared_ptr<const CompiledModule> module,
                                  std::span<const Extern> imports);

  Expected<std::vector<Value>, Trap> invoke(const FuncInst& func, std::span<const Value> args);

  void set_listener(CallListener* listener) { listener_ = listener; }
  CallListener* listener() const { return listener_; }
  // Raise from any thread to stop the running guest with TrapKind::Interrupted.
  std::atomic<bool>& interrupt_flag() { return interrupt_; }

  uint32_t intern_type(const wasm::FuncType& type);

  struct Runtime;  // the interpreter's stacks (private)

 private:
  StoreLimits limits_;
  CallListener* listener_ = nullptr;
  std::atomic<bool> interrupt_{false};
  std::vector<wasm::FuncType> types_;
  std::vector<std::unique_ptr<FuncInst>> funcs_;
  std::vector<std::unique_ptr<TableInst>> tables_;
  std::vector<std::unique_ptr<MemInst>> memories_;
  std::vector<std::unique_ptr<GlobalInst>> globals_;
  std::vector<std::unique_ptr<Instance>> instances_;
  std::unique_ptr<Runtime> runtime_;
};

}  // namespace lantern::engine
