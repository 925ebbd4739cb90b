// Kernels of the K-quant super-block formats (256 elements per block) and of q8_K, the
// activation format of their dot products.
//
// Every weight format is first unpacked into one common integer form (SuperBlock below):
//   x[i] = d * scale[i / group] * q[i] - dmin * min[i / group]
// Dequantization and the dot product are written once against that form, so the bit
// layouts live in exactly one place per type (the unpack_* functions).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "local_engine/ggml_type.h"
#include "local_engine/quant_blocks.h"
#include "local_engine/lane_sum.h"
#include "local_engine/quants.h"

namespace sb::engine {
namespace {

struct SuperBlock {
  int8_t q[kQK_K];     // [256] integer quants, offsets already removed
  int16_t scale[16];   // [256 / group] integer sub-block scales
  int16_t min[16];     // [256 / group] integer sub-block mins (0 for symmetric types)
  int group = 16;      // elements per sub-block: 16 or 32
  float d = 0;         // super-block scale of `scale`
  float dmin = 0;      // super-block scale of `min`
};

// Sub-block scale and min j (0..7) of q4_K / q5_K: 6 bits each, packed in 12 bytes.
// Bytes 0..3 hold scales 0..3 (low 6 bits), bytes 4..7 mins 0..3; scales/mins 4..7 take
// their low 4 bits from the nibbles of bytes 8..11 and their top 2 bits from the top
// bits of bytes 0..7.
void scale_min_k4(const uint8_t* packed, int j, int16_t& scale, int16_t& min) {
  if (j < 4) {
    scale = packed[j] & 63;
    min = packed[j + 4] & 63;
  } else {
    scale = static_cast<int16_t>((packed[j + 4] & 0xf) | ((packed[j - 4] >> 6) << 4));
    min = static_cast<int16_t>((packed[j + 4] >> 4) | ((packed[j] >> 6) << 4));
  }
}

// q2_K and q3_K share the element order: in each half (128 elements) byte l of the
// 32-byte slice of qs holds 2-bit quants of elements 32*g + l for g = 0..3 at bit 2g.
int two_bit_quant(const uint8_t* qs, int i) {
  const int half = i / 128, g = (i % 128) / 32, l = i % 32;
  return (qs[32 * half + l] >> (2 * g)) & 3;
}

void unpack_q2_K(const block_q2_K& b, SuperBlock& u) {
  u.group = 16;
  u.d = fp16_to_fp32(b.d);
  u.dmin = fp16_to_fp32(b.dmin);
  for (int s = 0; s < 16; ++s) {
    u.scale[s] = b.scales[s] & 0xf;
    u.min[s] = b.scales[s] >> 4;
  }
  for (int i = 0; i < kQK_K; ++i) u.q[i] = static_cast<int8_t>(two_bit_quant(b.qs, i));
}

void unpack_q3_K(const block_q3_K& b, SuperBlock& u) {
  u.group = 16;
  u.d = fp16_to_fp32(b.d);
  u.dmin = 0;
  // 16 6-bit scales: low 4 bits from the nibbles of bytes 0..7 (scales 0..7 low
  // nibbles, 8..15 high nibbles), top 2 bits from bytes 8..11 (2 bits per scale).
  for (int s = 0; s < 16; ++s) {
    const int low = s < 8 ? (b.scales[s] & 0xf) : (b.scales[s - 8] >> 4);
    const int high = (b.scales[8 + s % 4] >> (2 * (s / 4))) & 3;
    u.scale[s] = static_cast<int16_t>((low | (high << 4)) - 32);
    u.min[s] = 0;
  }
  // The high bit of element i is bit (i / 32) of hmask[i % 32]; a clear bit means -4.
  for (int i = 0; i < kQK_K; ++i) {
    const bool high = (b.hmask[i % 32] >> (i / 32)) & 1;
    u.q[i] = static_cast<int8_t>(two_bit_quant(b.qs, i) - (high ? 0 : 4));
  }
}

// q4_K / q5_K element order: in each quarter (64 elements) byte l of the 32-byte slice
// holds element l in its low nibble and element 32 + l in its high nibble.
int four_bit_quant(const uint8_t* qs, int i) {
  const int quarter = i / 64, l = i % 32;
  const uint8_t byte = qs[32 * quarter + l];
  return (i % 64) < 32 ? (byte & 0xf) : (byte >> 4);
}

void unpack_scales_k4(const uint8_t* packed, SuperBlock& u) {
  u.group = 32;
  for (int j = 0; j < 8; ++j) scale_min_k4(packed, j, u.scale[j], u.min[j]);
}

void unpack_q4_K(const block_q4_K& b, SuperBlock& u) {
  u.d = fp16_to_fp32(b.d);
  u.dmin = fp16_to_fp32(b.dmin);
  unpack_scales_k4(b.scales, u);
  for (int i = 0; i < kQK_K; ++i) u.q[i] = static_cast<int8_t>(four_bit_quant(b.qs, i));
}

void unpack_q5_K(const block_q5_K& b, SuperBlock& u) {
  u.d = fp16_to_fp32(b.d);
  u.dmin = fp16_to_fp32(b.dmin);
  unpack_scales_k4(b.scales, u);
  // The fifth bit of element i is bit (i / 32) of qh[i % 32].
  for (int i = 0; i < kQK_K; ++i) {
    const int high = (b.qh[i % 32] >> (i / 32)) & 1;
    u.q[i] = static_cast<int8_t>(four_bit_quant(b.qs, i) | (high << 4));
  }
}

void unpack_q6_K(const block_q6_K& b, SuperBlock& u) {
  u.group = 16;
  u.d = fp16_to_fp32(b.d);
  u.dmin = 0;
  for (int s = 0; s < 16; ++s) {
    u.scale[s] = b.scales[s];
    u.min[s] = 0;
  }
  // In each half (128 elements): element 32*g + l (g = 0..3, l < 32) takes its low 4
  // bits from ql[64*half + l + 32*(g & 1)] (low nibble for g < 2, high for g >= 2) and its
  // top 2 bits from bits 2g of qh[32*half + l].
  for (int i = 0; i < kQK_K; ++i) {
    const int half = i / 128, g = (i % 128) / 32, l = i % 32;
    const uint8_t low_byte = b.ql[64 * half + l + 32 * (g & 1)];
    const int low = g < 2 ? (low_byte & 0xf) : (low_byte >> 4);
    const int high = (b.qh[32 * half + l] >> (2 * g)) & 3;
    u.q[i] = static_cast<int8_t>((low | (high << 4)) - 32);
  }
}

template <typename Block, void (*Unpack)(const Block&, SuperBlock&)>
void dequantize_k(const void* src, float* dst, int64_t n) {
  const auto* blocks = static_cast<const Block*>(src);
  SuperBlock u;
  for (int64_t b = 0; b < n / kQK_K; ++b, dst += kQK_K) {
    Unpack(blocks[b], u);
    for (int i = 0; i < kQK_K; ++i) {
      const int s = i / u.group;
      const float dl = u.d * static_cast<float>(u.scale[s]);
      const float ml = u.dmin * static_cast<float>(u.min[s]);
      dst[i] = dl * static_cast<float>(u.q[i]) - ml;
    }
  }
}

// sum_i x_i a_i with x_i = d*scale*q - dmin*min and a_i = d_a * p_i:
//   d*d_a * sum_s scale_s * (sum_{i in s} q_i p_i)  -  dmin*d_a * sum_s min_s * (sum_{i in s} p_i)
// Both inner sums are exact integers; the activation sums come from q8_K's bsums.
template <typename Block, void (*Unpack)(const Block&, SuperBlock&)>
float vec_dot_k(int64_t n, const void* w, const void* a) {
  const auto* x = static_cast<const Block*>(w);
  const auto* y = static_cast<const block_q8_K*>(a);
  SuperBlock u;
  float sum = 0;
  for (int64_t b = 0; b < n / kQK_K; ++b) {
    Unpack(x[b], u);
    int32_t isum = 0;
    for (int s = 0; s < kQK_K / u.group; ++s) {
      int32_t dot = 0;
      for (int i = s * u.group; i < (s + 1) * u.group; ++i) dot += u.q[i] * y[b].qs[i];
      isum += u.scale[s] * dot;
    }
    int32_t min_sum = 0;
    for (int k = 0; k < kQK_K / 16; ++k) min_sum += y[b].bsums[k] * u.min[k * 16 / u.group];
    sum += u.d * y[b].d * static_cast<float>(isum) - u.dmin * y[b].d * static_cast<float>(min_sum);
  }
  return sum;
}

// vec_dot_k in the reference's summation order (lane_sum.h) for the formats whose x86
// kernels share one shape (q4_K, q6_K): per block, lane l sums scale * q * p over the
// elements of lane l, and the lanes take d * d_a; the mins (q4_K) go to four lanes of
// their own, min pairs (2k, 2k + 1) in lane k, which take -dmin * d_a and are added last.
template <typename Block, void (*Unpack)(const Block&, SuperBlock&)>
float vec_dot_k_in_lanes(int64_t n, const void* w, const void* a) {
  const auto* x = static_cast<const Block*>(w);
  const auto* y = static_cast<const block_q8_K*>(a);
  SuperBlock u;
  LaneSums sum;
  std::array<float, 4> mins{};
  for (int64_t b = 0; b < n / kQK_K; ++b) {
    Unpack(x[b], u);
    std::array<int32_t, kLanes> lanes{};
    for (int i = 0; i < kQK_K; ++i) lanes[lane_of(i)] += u.scale[i / u.group] * u.q[i] * y[b].qs[i];
    sum.add(y[b].d * u.d, lanes);
    if (u.dmin == 0) continue;
    // Sub-block s (32 elements) pairs its min with the sum of its activations (two bsums).
    const float dmin = -y[b].d * u.dmin;
    for (int k = 0; k < 4; ++k) {
      int32_t prod = 0;
      for (int s = 2 * k; s < 2 * k + 2; ++s) prod += u.min[s] * (y[b].bsums[2 * s] + y[b].bsums[2 * s + 1]);
      mins[k] = std::fma(dmin, static_cast<float>(prod), mins[k]);
    }
  }
  return sum.total() + ((mins[0] + mins[2]) + (mins[1] + mins[3]));
}

}  // namespace

void dequantize_row_q2_K(const void* src, float* dst, int64_t n) {
  dequantize_k<block_q2_K, unpack_q2_K>(src, dst, n);
}
void dequantize_row_q3_K(const void* src, float* dst, int64_t n) {
  dequantize_k<block_q3_K, unpack_q3_K>(src, dst, n);
}
void dequantize_row_q4_K(const void* src, float* dst, int64_t n) {
  dequantize_k<block_q4_K, unpack_q4_K>(src, dst, n);
}
void dequantize_row_q5_K(const void* src, float* dst, int64_t n) {
  dequantize_k<block_q5_K, unpack_q5_K>(src, dst, n);
}
void dequantize_row_q6_K(const void* src, float* dst, int64_t n) {
  dequantize_k<block_q6_K, unpack_q6_K>(src, dst, n);
}

float vec_dot_q2_K_q8_K(int64_t n, const void* w, const void* a) {
  return vec_dot_k<block_q2_K, unpack_q2_K>(n, w, a);
}
float vec_dot_q3_K_q8_K(int64_t n, const void* w, const void* a) {
  return vec_dot_k<block_q3_K, unpack_q3_K>(n, w, a);
}
float vec_dot_q4_K_q8_K(int64_t n, const void* w, const void* a) {
  return vec_dot_k_in_lanes<block_q4_K, unpack_q4_K>(n, w, a);
}
float vec_dot_q5_K_q8_K(int64_t n, const void* w, const void* a) {
  return vec_dot_k<block_q5_K, unpack_q5_K>(n, w, a);
}
float vec_dot_q6_K_q8_K(int64_t n, const void* w, const void* a) {
  return vec_dot_k_in_lanes<block_q6_K, unpack_q6_K>(n, w, a);
}

void dequantize_row_q8_K(const void* src, float* dst, int64_t n) {
  const auto* blocks = static_cast<const block_q8_K*>(src);
  for (int64_t b = 0; b < n / kQK_K; ++b, dst += kQK_K) {
    for (int i = 0; i < kQK_K; ++i) dst[i] = blocks[b].d * static_cast<float>(blocks[b].qs[i]);
  }
}

// ggml's reference: the value of largest magnitude maps to -127 (the scale is negative
// when that value is positive), rounding to nearest even, clamped at 127.
void quantize_row_q8_K(const float* src, void* dst, int64_t n) {
  auto* blocks = static_cast<block_q8_K*>(dst);
  for (int64_t b = 0; b < n / kQK_K; ++b, src += kQK_K) {
    block_q8_K& y = blocks[b];
    float amax = 0, max = 0;
    for (int i = 0; i < kQK_K; ++i) {
      if (std::fabs(src[i]) > amax) {
        amax = std::fabs(src[i]);
        max = src[i];
      }
    }
    if (amax == 0) {
      std::memset(&y, 0, sizeof y);
      continue;
    }
    const float iscale = -127.0f / max;
    for (int i = 0; i < kQK_K; ++i) {
      y.qs[i] = static_cast<int8_t>(std::min(127L, std::lrint(iscale * src[i])));
    }
    for (int k = 0; k < kQK_K / 16; ++k) {
      int sum = 0;
      for (int i = 0; i < 16; ++i) sum += y.qs[16 * k + i];
      y.bsums[k] = static_cast<int16_t>(sum);
    }
    y.d = 1 / iscale;
  }
}

}  // namespace sb::engine
