// Typed host functions: the Wasm signature is derived from the C++ signature.
//
//   store.add_host_function("env.add", host_function([](Caller&, int32_t a, int32_t b) {
//     return a + b;
//   }));
//
// Parameters after Caller& may be int32_t/uint32_t/int64_t/uint64_t/float/double; the result may
// be void, one of those, or HostResult<T> (Expected<T, Trap>) to trap.
#pragma once

#include <bit>
#include <cstdint>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "lantern/engine/store.h"

namespace lantern::engine {

template <typename T>
using HostResult = Expected<T, Trap>;

namespace host_detail {

template <typename T>
struct WasmType;
template <>
struct WasmType<int32_t> {
  static constexpr ValType type = ValType::I32;
};
template <>
struct WasmType<uint32_t> {
  static constexpr ValType type = ValType::I32;
};
template <>
struct WasmType<int64_t> {
  static constexpr ValType type = ValType::I64;
};
template <>
struct WasmType<uint64_t> {
  static constexpr ValType type = ValType::I64;
};
template <>
struct WasmType<float> {
  static constexpr ValType type = ValType::F32;
};
template <>
struct WasmType<double> {
  static constexpr ValType type = ValType::F64;
};

template <typename T>
T from_slot(uint64_t slot) {
  if constexpr (std::is_same_v<T, float>)
    return std::bit_cast<float>(static_cast<uint32_t>(slot));
  else if constexpr (std::is_same_v<T, double>)
    return std::bit_cast<double>(slot);
  else
    return static_cast<T>(slot);
}

template <typename T>
uint64_t to_slot(T value) {
  if constexpr (std::is_same_v<T, float>)
    return std::bit_cast<uint32_t>(value);
  else if constexpr (std::is_same_v<T, double>)
    return std::bit_cast<uint64_t>(value);
  else if constexpr (sizeof(T) == 4)
    return static_cast<uint32_t>(value);
  else
    return static_cast<uint64_t>(value);
}

template <typename T>
struct ResultTraits {  // plain value
  using Value = T;
  static constexpr bool can_trap = false;
};
template <typename T>
struct ResultTraits<Expected<T, Trap>> {
  using Value = T;
  static constexpr bool can_trap = true;
};

template <typename F>
struct Signature : Signature<decltype(&F::operator())> {};
template <typename C, typename R, typename... A>
struct Signature<R (C::*)(Caller&, A...) const> {
  using Result = R;
  using Args = std::tuple<A...>;
};
template <typename C, typename R, typename... A>
struct Signature<R (C::*)(Caller&, A...)> : Signature<R (C::*)(Caller&, A...) const> {};

}  // namespace host_detail

struct TypedHostFunction {
  wasm::FuncType type;
  HostCallback callback;
};

template <typename F>
TypedHostFunction host_function(F fn) {
  using Sig = host_detail::Signature<F>;
  using Traits = host_detail::ResultTraits<typename Sig::Result>;
  using Out = typename Traits::Value;
  wasm::FuncType type;
  [&]<size_t... I>(std::index_sequence<I...>) {
    (type.params.push_back(
         host_detail::WasmType<std::tuple_element_t<I, typename Sig::Args>>::type),
     ...);
  }
  (std::make_index_sequence<std::tuple_size_v<typename Sig::Args>>{});
  if constexpr (!std::is_void_v<Out>) type.results.push_back(host_detail::WasmType<Out>::type);

  HostCallback callback = [fn = std::move(fn)](Caller& caller,
                                               uint64_t* slots) mutable -> HostStatus {
    auto call = [&]<size_t... I>(std::index_sequence<I...>)->decltype(auto) {
      return fn(caller,
                host_detail::from_slot<std::tuple_element_t<I, typename Sig::Args>>(slots[I])...);
    };
    constexpr auto indices = std::make_index_sequence<std::tuple_size_v<typename Sig::Args>>{};
    if constexpr (Traits::can_trap) {
      auto result = call(indices);
      if (!result) return HostStatus::failure(std::move(result).error());
      if constexpr (!std::is_void_v<Out>) slots[0] = host_detail::to_slot(result.value());
    } else if constexpr (std::is_void_v<Out>) {
      call(indices);
    } else {
      slots[0] = host_detail::to_slot(call(indices));
    }
    return {};
  };
  return {std::move(type), std::move(callback)};
}

inline FuncInst* add_host_function(Store& store, std::string debug_name, TypedHostFunction fn) {
  return store.add_host_function(std::move(debug_name), std::move(fn.type), std::move(fn.callback));
}

}  // namespace lantern::engine
