// Numeric semantics of Wasm instructions that C++ operators do not give directly.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace lantern::engine::numeric {

template <typename F>
F fmin(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;  // propagates a quiet NaN
  if (a == b) return std::signbit(a) ? a : b;        // min(-0, +0) = -0
  return a < b ? a : b;
}

template <typename F>
F fmax(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

// Rounding functions from libm return a signalling NaN unchanged; Wasm requires it quieted.
template <typename F>
F quiet_if_nan(F x, F rounded) {
  return std::isnan(x) ? x + x : rounded;
}
inline float fnearest(float x) { return quiet_if_nan(x, std::nearbyint(x)); }
inline double fnearest(double x) { return quiet_if_nan(x, std::nearbyint(x)); }
inline float fceil(float x) { return quiet_if_nan(x, std::ceil(x)); }
inline double fceil(double x) { return quiet_if_nan(x, std::ceil(x)); }
inline float ffloor(float x) { return quiet_if_nan(x, std::floor(x)); }
inline double ffloor(double x) { return quiet_if_nan(x, std::floor(x)); }
inline float ftrunc(float x) { return quiet_if_nan(x, std::trunc(x)); }
inline double ftrunc(double x) { return quiet_if_nan(x, std::trunc(x)); }

// Sign-bit operations must not touch NaN payloads, so they work on the bits.
inline float fabs_bits(float x) {
  return std::bit_cast<float>(std::bit_cast<uint32_t>(x) & 0x7FFFFFFFu);
}
inline double fabs_bits(double x) {
  return std::bit_cast<double>(std::bit_cast<uint64_t>(x) & 0x7FFFFFFFFFFFFFFFull);
}
inline float fneg_bits(float x) {
  return std::bit_cast<float>(std::bit_cast<uint32_t>(x) ^ 0x80000000u);
}
inline double fneg_bits(double x) {
  return std::bit_cast<double>(std::bit_cast<uint64_t>(x) ^ 0x8000000000000000ull);
}
inline float fcopysign_bits(float a, float b) {
  return std::bit_cast<float>((std::bit_cast<uint32_t>(a) & 0x7FFFFFFFu) |
                              (std::bit_cast<uint32_t>(b) & 0x80000000u));
}
inline double fcopysign_bits(double a, double b) {
  return std::bit_cast<double>((std::bit_cast<uint64_t>(a) & 0x7FFFFFFFFFFFFFFFull) |
                               (std::bit_cast<uint64_t>(b) & 0x8000000000000000ull));
}

// Range checks for trapping float->int truncation: true when trunc(x) fits the target type.
// Bounds are exclusive powers of two so they are exact in both float widths.
template <typename I, typename F>
bool trunc_in_range(F x) {
  if constexpr (std::is_signed_v<I>) {
    constexpr F lo = -static_cast<F>(std::numeric_limits<I>::max()) - F(1);  // -2^(N-1)
    constexpr F hi = -lo;                                                    // 2^(N-1)
    if constexpr (sizeof(I) == 4 && sizeof(F) == 8)
      return x > lo - F(1) && x < hi;
    else
      return x >= lo && x < hi;
  } else {
    constexpr F hi = static_cast<F>(std::numeric_limits<I>::max() / 2 + 1) * F(2);  // 2^N
    return x > F(-1) && x < hi;
  }
}

template <typename I, typename F>
I trunc_sat(F x) {
  if (std::isnan(x)) return 0;
  if (!trunc_in_range<I>(x))
    return x < 0 ? std::numeric_limits<I>::min() : std::numeric_limits<I>::max();
  return static_cast<I>(x);
}

}  // namespace lantern::engine::numeric
