// Private to the decoder and the instruction reader: a bounds-checked cursor over module bytes that
// reports errors with the spec's "malformed" wording and the decoder's current position context.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "lantern/util/expected.h"
#include "lantern/wasm/leb128.h"
#include "lantern/wasm/types.h"

namespace lantern::wasm::detail {

// The reference interpreter reports running out of bytes anywhere inside a module this way;
// the spec tests expect it (or its prefix "unexpected end").
inline constexpr const char* kUnexpectedEnd = "unexpected end of section or function";

const char* leb_error_message(LebError error);
bool is_valid_utf8(std::span<const uint8_t> bytes);

class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> bytes, uint64_t base_offset = 0)
      : bytes_(bytes), base_(base_offset) {}

  size_t pos() const { return pos_; }
  void seek(size_t pos) { pos_ = pos; }
  size_t size() const { return bytes_.size(); }
  size_t remaining() const { return bytes_.size() - pos_; }
  bool at_end() const { return pos_ >= bytes_.size(); }
  std::span<const uint8_t> bytes() const { return bytes_; }
  uint64_t offset(size_t pos) const { return base_ + pos; }

  // Context attached to every error built by this reader.
  void set_section(const char* name) { section_ = name; }
  void set_function(uint32_t index) { func_index_ = index; }
  const char* section() const { return section_; }
  uint32_t function() const { return func_index_; }

  Unexpected error(std::string message, size_t at) const {
    return make_error(Phase::Decode, std::move(message), base_ + at, section_, func_index_);
  }
  // Adds this reader's context to an error produced elsewhere (e.g. by the instruction reader).
  Unexpected with_context(Error error) const {
    if (error.section.empty()) error.section = section_;
    if (error.func_index == Error::kNoIndex) error.func_index = func_index_;
    return Unexpected{std::move(error)};
  }

  Expected<uint8_t> u8() {
    if (pos_ >= bytes_.size()) return error(kUnexpectedEnd, pos_);
    return bytes_[pos_++];
  }

  Expected<uint32_t> u32() {
    if (pos_ < bytes_.size() && bytes_[pos_] < 0x80) return bytes_[pos_++];
    return leb(32);
  }

  Expected<uint32_t> u1() { return leb(1); }

  // A length or vector count: must not exceed the bytes left (counted from the length's own
  // first byte, as the reference interpreter does), so no count can cause a huge allocation.
  Expected<uint32_t> len32() {
    const size_t start = pos_;
    auto value = u32();
    if (!value) return value;
    if (*value > bytes_.size() - start) return error("length out of bounds", start);
    return value;
  }

  Expected<std::span<const uint8_t>> take(size_t count) {
    if (count > remaining()) return error(kUnexpectedEnd, bytes_.size());
    auto result = bytes_.subspan(pos_, count);
    pos_ += count;
    return result;
  }

  // A length-prefixed UTF-8 name.
  Expected<std::string> name() {
    const size_t start = pos_;
    auto length = len32();
    if (!length) return Unexpected{std::move(length).error()};
    auto data = take(*length);
    if (!data) return Unexpected{std::move(data).error()};
    if (!is_valid_utf8(*data)) return error("malformed UTF-8 encoding", start);
    return std::string(reinterpret_cast<const char*>(data->data()), data->size());
  }

  // Value and reference types are one-byte signed LEBs in the spec grammar (s7): a set
  // continuation bit makes the encoding too long.
  Expected<ValType> value_type() {
    const size_t start = pos_;
    auto byte = u8();
    if (!byte) return Unexpected{std::move(byte).error()};
    if (*byte & 0x80) return error("integer representation too long", start);
    if (!is_valtype_byte(*byte)) return error("malformed value type", start);
    return static_cast<ValType>(*byte);
  }

  Expected<ValType> ref_type() {
    const size_t start = pos_;
    auto byte = u8();
    if (!byte) return Unexpected{std::move(byte).error()};
    if (*byte & 0x80) return error("integer representation too long", start);
    if (*byte != 0x70 && *byte != 0x6F) return error("malformed reference type", start);
    return static_cast<ValType>(*byte);
  }

  Expected<Limits> limits() {
    Limits limits;
    auto has_max = u1();
    if (!has_max) return Unexpected{std::move(has_max).error()};
    auto min = u32();
    if (!min) return Unexpected{std::move(min).error()};
    limits.min = *min;
    if (*has_max) {
      auto max = u32();
      if (!max) return Unexpected{std::move(max).error()};
      limits.max = *max;
    }
    return limits;
  }

 private:
  Expected<uint32_t> leb(unsigned bits) {
    const size_t start = pos_;
    uint64_t value = 0;
    const LebError status = read_uleb(bytes_, pos_, bits, value);
    if (status != LebError::None) {
      return error(leb_error_message(status), status == LebError::UnexpectedEnd ? pos_ : start);
    }
    return static_cast<uint32_t>(value);
  }

  std::span<const uint8_t> bytes_;
  uint64_t base_ = 0;
  size_t pos_ = 0;
  const char* section_ = "";
  uint32_t func_index_ = Error::kNoIndex;
};

}  // namespace lantern::wasm::detail

// Declares-or-assigns `lhs` from an Expected expression, returning its error from the enclosing
// function on failure: LANTERN_ASSIGN(uint32_t count, reader.u32());
#define LANTERN_ASSIGN_CAT2(a, b) a##b
#define LANTERN_ASSIGN_CAT(a, b) LANTERN_ASSIGN_CAT2(a, b)
#define LANTERN_ASSIGN_IMPL(tmp, lhs, expr)                          \
  auto tmp = (expr);                                                 \
  if (!tmp) return ::lantern::Unexpected{std::move(tmp).error()};    \
  lhs = std::move(*tmp)
#define LANTERN_ASSIGN(lhs, expr) \
  LANTERN_ASSIGN_IMPL(LANTERN_ASSIGN_CAT(lantern_assign_tmp_, __LINE__), lhs, expr)
