// F32 / F16 / BF16 rows and the scalar half-precision conversions.
#include <cstring>

#include "local_engine/float_dot.h"
#include "local_engine/ggml_type.h"
#include "local_engine/quants.h"

namespace sb::engine {
namespace {

uint32_t float_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

float bits_float(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

// Rounds the integer `value` right-shifted by `shift` bits to nearest, ties to even.
uint32_t shift_round_even(uint32_t value, int shift) {
  const uint32_t kept = value >> shift;
  const uint32_t rest = value & ((1u << shift) - 1);
  const uint32_t half = 1u << (shift - 1);
  return kept + ((rest > half || (rest == half && (kept & 1))) ? 1 : 0);
}

}  // namespace

float fp16_to_fp32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  const uint32_t exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ff;
  if (exponent == 0x1f) return bits_float(sign | 0x7f800000 | (mantissa << 13));  // inf / NaN
  if (exponent != 0) return bits_float(sign | ((exponent + 112) << 23) | (mantissa << 13));
  if (mantissa == 0) return bits_float(sign);  // +-0
  // Subnormal: value = mantissa * 2^-24; normalize it into a float.
  int e = 113;
  while ((mantissa & 0x400) == 0) {
    mantissa <<= 1;
    --e;
  }
  return bits_float(sign | (static_cast<uint32_t>(e) << 23) | ((mantissa & 0x3ff) << 13));
}

uint16_t fp32_to_fp16(float f) {
  const uint32_t x = float_bits(f);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000);
  const uint32_t magnitude = x & 0x7fffffff;
  if (magnitude > 0x7f800000) return sign | 0x7e00;         // NaN (quiet)
  if (magnitude >= 0x477ff000) return sign | 0x7c00;        // >= 65520 rounds to inf
  if (magnitude >= 0x38800000) {                             // normal half (>= 2^-14)
    // Re-bias the exponent (127 -> 15) and drop 13 mantissa bits; a carry out of the
    // mantissa correctly bumps the exponent.
    return sign | static_cast<uint16_t>(shift_round_even(magnitude - 0x38000000, 13));
  }
  // Subnormal half: round(value * 2^24) with value = (1.m) * 2^(e-150).
  const int e = static_cast<int>(magnitude >> 23);
  const int shift = 126 - e;  // >= 14 here
  if (shift > 24) return sign;
  const uint32_t m = (magnitude & 0x7fffff) | 0x800000;
  return sign | static_cast<uint16_t>(shift_round_even(m, shift));
}

float bf16_to_fp32(uint16_t b) { return bits_float(static_cast<uint32_t>(b) << 16); }

uint16_t fp32_to_bf16(float f) {
  const uint32_t x = float_bits(f);
  if ((x & 0x7fffffff) > 0x7f800000) return static_cast<uint16_t>((x >> 16) | 0x40);  // quiet NaN
  return static_cast<uint16_t>(shift_round_even(x, 16));
}

void to_float_f32(const void* src, float* dst, int64_t n) {
  std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
}

void from_float_f32(const float* src, void* dst, int64_t n) {
  std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
}

float vec_dot_f32(int64_t n, const void* w, const void* a) {
  return dot_f32_row_order(static_cast<const float*>(w), static_cast<const float*>(a), n);
}

float vec_dot_f32_tiled(int64_t n, const void* w, const void* a) {
  return dot_f32_tiled_order(static_cast<const float*>(w), static_cast<const float*>(a), n);
}

void to_float_f16(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const uint16_t*>(src);
  for (int64_t i = 0; i < n; ++i) dst[i] = fp16_to_fp32(x[i]);
}

void from_float_f16(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<uint16_t*>(dst);
  for (int64_t i = 0; i < n; ++i) y[i] = fp32_to_fp16(src[i]);
}

float vec_dot_f16(int64_t n, const void* w, const void* a) {
  return dot_f16_row_order(static_cast<const uint16_t*>(w), static_cast<const uint16_t*>(a), n, n);
}

float vec_dot_f16_tiled(int64_t n, const void* w, const void* a) {
  return dot_f16_tiled_order(static_cast<const uint16_t*>(w), static_cast<const uint16_t*>(a), n);
}

void to_float_bf16(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const uint16_t*>(src);
  for (int64_t i = 0; i < n; ++i) dst[i] = bf16_to_fp32(x[i]);
}

void from_float_bf16(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<uint16_t*>(dst);
  for (int64_t i = 0; i < n; ++i) y[i] = fp32_to_bf16(src[i]);
}

float vec_dot_bf16(int64_t n, const void* w, const void* a) {
  const auto* x = static_cast<const uint16_t*>(w);
  const auto* y = static_cast<const uint16_t*>(a);
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(bf16_to_fp32(x[i]) * bf16_to_fp32(y[i]));
  return static_cast<float>(sum);
}

}  // namespace sb::engine
