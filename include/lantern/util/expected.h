// Expected<T>: a value or an Error, the project's way of reporting failure without exceptions.
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace lantern {

// Which stage of the pipeline produced an error; shown to users as a prefix.
enum class Phase : uint8_t { Decode, Validate, Link, Instantiate, Execute, Io, Config };

const char* phase_name(Phase phase);

struct Error {
  Phase phase = Phase::Decode;
  std::string message;
  // Byte offset in the module, or kNoOffset when not tied to a position.
  uint64_t offset = kNoOffset;
  // Defined-or-imported function index the error is about, or kNoIndex.
  uint32_t func_index = kNoIndex;
  // Section name ("code", "type", ...) where the error was found, may be empty.
  std::string section;

  static constexpr uint64_t kNoOffset = ~uint64_t{0};
  static constexpr uint32_t kNoIndex = ~uint32_t{0};

  // "decode error: section code, function 3, offset 0x1f: unexpected end"
  std::string to_string() const;
};

struct Unexpected {
  Error error;
};

inline Unexpected make_error(Phase phase, std::string message, uint64_t offset = Error::kNoOffset,
                             std::string section = {}, uint32_t func_index = Error::kNoIndex) {
  return Unexpected{Error{phase, std::move(message), offset, func_index, std::move(section)}};
}

template <typename T, typename E = Error>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
  Expected(Unexpected u) requires std::is_same_v<E, Error>
      : storage_(std::in_place_index<1>, std::move(u.error)) {}
  static Expected failure(E e) { return Expected(std::in_place_index<1>, std::move(e)); }

  bool has_value() const { return storage_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(storage_); }
  const T& value() const& { return std::get<0>(storage_); }
  T&& value() && { return std::get<0>(std::move(storage_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  E& error() & { return std::get<1>(storage_); }
  const E& error() const& { return std::get<1>(storage_); }
  E&& error() && { return std::get<1>(std::move(storage_)); }

 private:
  template <size_t I, typename U>
  Expected(std::in_place_index_t<I> tag, U&& u) : storage_(tag, std::forward<U>(u)) {}
  std::variant<T, E> storage_;
};

// The error lives in an optional, so success (the common case, e.g. every host call's status)
// constructs and destroys nothing.
template <typename E>
class [[nodiscard]] Expected<void, E> {
 public:
  Expected() = default;
  Expected(Unexpected u) requires std::is_same_v<E, Error> : error_(std::move(u.error)) {}
  static Expected failure(E e) {
    Expected r;
    r.error_.emplace(std::move(e));
    return r;
  }
  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  void value() const { assert(has_value()); }
  E& error() & { return *error_; }
  const E& error() const& { return *error_; }
  E&& error() && { return std::move(*error_); }

 private:
  std::optional<E> error_;
};

// Propagates the error of an Expected expression out of the enclosing function.
#define LANTERN_TRY(expr)                                                   \
  do {                                                                      \
    auto&& lantern_try_result_ = (expr);                                    \
    if (!lantern_try_result_)                                               \
      return ::lantern::Unexpected{std::move(lantern_try_result_).error()}; \
  } while (0)

}  // namespace lantern
