#pragma once
// Byte layouts of ggml's quantized blocks (ggml-common.h), bit for bit: the tensors of a
// GGUF file are arrays of these, used in place from the mapped file. All fields are
// byte-aligned except the fp16 scales (2-byte) and block_q8_K::d (4-byte); tensor data
// offsets in a GGUF are 32-byte aligned, so in-file rows are suitably aligned.
#include <cstddef>
#include <cstdint>

namespace sb::engine {

inline constexpr int kQK4_0 = 32;
inline constexpr int kQK4_1 = 32;
inline constexpr int kQK5_0 = 32;
inline constexpr int kQK5_1 = 32;
inline constexpr int kQK8_0 = 32;
inline constexpr int kQK8_1 = 32;
inline constexpr int kQK_K = 256;     // super-block size of the K-quants
inline constexpr int kKScaleSize = 12;  // packed 6-bit scales+mins of Q4_K / Q5_K

using fp16_t = uint16_t;  // IEEE half, stored as bits

// x = d * (q - 8), q in 0..15; qs[j] holds element j (low nibble) and j+16 (high).
struct block_q4_0 {
  fp16_t d;
  uint8_t qs[kQK4_0 / 2];
};
static_assert(sizeof(block_q4_0) == 18);

// x = d * q + m, q in 0..15; nibble order as q4_0.
struct block_q4_1 {
  fp16_t d;
  fp16_t m;
  uint8_t qs[kQK4_1 / 2];
};
static_assert(sizeof(block_q4_1) == 20);

// x = d * (q - 16), q in 0..31; bit j of qh (little-endian u32) is bit 4 of element j.
struct block_q5_0 {
  fp16_t d;
  uint8_t qh[4];
  uint8_t qs[kQK5_0 / 2];
};
static_assert(sizeof(block_q5_0) == 22);

// x = d * q + m, q in 0..31; bits as q5_0.
struct block_q5_1 {
  fp16_t d;
  fp16_t m;
  uint8_t qh[4];
  uint8_t qs[kQK5_1 / 2];
};
static_assert(sizeof(block_q5_1) == 24);

// x = d * q. Weights and the activation format for q4_0 / q5_0 / q8_0 dot products.
struct block_q8_0 {
  fp16_t d;
  int8_t qs[kQK8_0];
};
static_assert(sizeof(block_q8_0) == 34);

// x = d * q; s = d * sum(q). Activation format for q4_1 / q5_1 dot products.
struct block_q8_1 {
  fp16_t d;
  fp16_t s;
  int8_t qs[kQK8_1];
};
static_assert(sizeof(block_q8_1) == 36);

// 16 sub-blocks of 16: x = d * (scales[i] & 15) * q - dmin * (scales[i] >> 4), q 2-bit.
struct block_q2_K {
  uint8_t scales[kQK_K / 16];
  uint8_t qs[kQK_K / 4];
  fp16_t d;
  fp16_t dmin;
};
static_assert(sizeof(block_q2_K) == 84);

// 16 sub-blocks of 16: x = d * (scale - 32) * (q - 4 * !hbit), q 2-bit low + hmask bit;
// the 16 6-bit scales are packed in scales[12].
struct block_q3_K {
  uint8_t hmask[kQK_K / 8];
  uint8_t qs[kQK_K / 4];
  uint8_t scales[12];
  fp16_t d;
};
static_assert(sizeof(block_q3_K) == 110);

// 8 sub-blocks of 32: x = d * sc * q - dmin * m, q 4-bit; sc/m 6-bit packed in scales.
struct block_q4_K {
  fp16_t d;
  fp16_t dmin;
  uint8_t scales[kKScaleSize];
  uint8_t qs[kQK_K / 2];
};
static_assert(sizeof(block_q4_K) == 144);

// As q4_K with a fifth bit per element in qh.
struct block_q5_K {
  fp16_t d;
  fp16_t dmin;
  uint8_t scales[kKScaleSize];
  uint8_t qh[kQK_K / 8];
  uint8_t qs[kQK_K / 2];
};
static_assert(sizeof(block_q5_K) == 176);

// 16 sub-blocks of 16: x = d * scales[i] * (q - 32), q 6-bit = 4 bits in ql + 2 in qh.
struct block_q6_K {
  uint8_t ql[kQK_K / 2];
  uint8_t qh[kQK_K / 4];
  int8_t scales[kQK_K / 16];
  fp16_t d;
};
static_assert(sizeof(block_q6_K) == 210);

// x = d * q (d is a float); bsums[i] = sum of qs[16i .. 16i+15]. Activation format for
// every K-quant dot product.
struct block_q8_K {
  float d;
  int8_t qs[kQK_K];
  int16_t bsums[kQK_K / 16];
};
static_assert(sizeof(block_q8_K) == 292);

}  // namespace sb::engine
