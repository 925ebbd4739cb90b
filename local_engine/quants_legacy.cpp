// Kernels of the 32-element block formats: q4_0, q4_1, q5_0, q5_1, q8_0, q8_1.
// Element order inside a block: byte j of qs holds element j in its low nibble and
// element j + 16 in its high nibble; for 5-bit types bit j of qh (a little-endian u32)
// is the fifth bit of element j.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "local_engine/ggml_type.h"
#include "local_engine/quant_blocks.h"
#include "local_engine/lane_sum.h"
#include "local_engine/quants.h"

namespace sb::engine {
namespace {

constexpr int kHalf = 16;  // elements per nibble half of a 32-element block

uint32_t load_qh(const uint8_t (&qh)[4]) {
  uint32_t v;
  std::memcpy(&v, qh, sizeof v);
  return v;
}

void store_qh(uint8_t (&qh)[4], uint32_t v) { std::memcpy(qh, &v, sizeof v); }

// Fifth bits of elements j and j + 16, already shifted to bit 4.
int high_bit_lo(uint32_t qh, int j) { return static_cast<int>((qh >> j) & 1u) << 4; }
int high_bit_hi(uint32_t qh, int j) { return static_cast<int>((qh >> (j + kHalf)) & 1u) << 4; }

// Scale of a symmetric block: the signed value of largest magnitude (first one wins).
float signed_absmax(const float* x) {
  float amax = 0, max = 0;
  for (int j = 0; j < 32; ++j) {
    if (amax < std::fabs(x[j])) {
      amax = std::fabs(x[j]);
      max = x[j];
    }
  }
  return max;
}

void min_max(const float* x, float& min, float& max) {
  min = FLT_MAX;
  max = -FLT_MAX;
  for (int j = 0; j < 32; ++j) {
    min = std::min(min, x[j]);
    max = std::max(max, x[j]);
  }
}

// v is a value already scaled and offset into [0.5, levels + 0.5]; truncating it rounds
// to the nearest level, as ggml's reference quantizers do (same float expression, so the
// bytes match ggml's).
uint8_t truncate_level(float v, int levels) {
  return static_cast<uint8_t>(std::min(levels, static_cast<int>(static_cast<int8_t>(v))));
}

// Symmetric 8-bit block (q8_0 / q8_1): d = amax / 127. Weights: q = round(x * (1 / d)),
// halves away from zero (ggml's portable reference quantizer, which writes the files).
// Activations: q = x * (127 / amax) rounded to nearest even, as the reference's x86
// kernels quantize them before a dot product; the two differ by a level now and then.
enum class Quantizing { Weights, Activations };

float quantize_block_8bit(const float* x, int8_t* qs, Quantizing what) {
  float amax = 0;
  for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[j]));
  const float d = amax / 127;
  if (what == Quantizing::Weights) {
    const float id = d != 0 ? 1.0f / d : 0.0f;
    for (int j = 0; j < 32; ++j) qs[j] = static_cast<int8_t>(std::round(x[j] * id));
  } else {
    const float id = amax != 0 ? 127.0f / amax : 0.0f;
    for (int j = 0; j < 32; ++j) qs[j] = static_cast<int8_t>(std::nearbyint(x[j] * id));
  }
  return d;
}

void quantize_q8_0(const float* src, void* dst, int64_t n, Quantizing what) {
  auto* blocks = static_cast<block_q8_0*>(dst);
  for (int64_t i = 0; i < n / kQK8_0; ++i, src += kQK8_0) {
    blocks[i].d = fp32_to_fp16(quantize_block_8bit(src, blocks[i].qs, what));
  }
}

void quantize_q8_1(const float* src, void* dst, int64_t n, Quantizing what) {
  auto* blocks = static_cast<block_q8_1*>(dst);
  for (int64_t i = 0; i < n / kQK8_1; ++i, src += kQK8_1) {
    const float d = quantize_block_8bit(src, blocks[i].qs, what);
    int sum = 0;
    for (int j = 0; j < kQK8_1; ++j) sum += blocks[i].qs[j];
    blocks[i].d = fp32_to_fp16(d);
    blocks[i].s = fp32_to_fp16(static_cast<float>(sum) * d);
  }
}

}  // namespace

void dequantize_row_q4_0(const void* src, float* dst, int64_t n) {
  const auto* blocks = static_cast<const block_q4_0*>(src);
  for (int64_t i = 0; i < n / kQK4_0; ++i, dst += kQK4_0) {
    const float d = fp16_to_fp32(blocks[i].d);
    for (int j = 0; j < kHalf; ++j) {
      dst[j] = static_cast<float>((blocks[i].qs[j] & 0xf) - 8) * d;
      dst[j + kHalf] = static_cast<float>((blocks[i].qs[j] >> 4) - 8) * d;
    }
  }
}

void dequantize_row_q4_1(const void* src, float* dst, int64_t n) {
  const auto* blocks = static_cast<const block_q4_1*>(src);
  for (int64_t i = 0; i < n / kQK4_1; ++i, dst += kQK4_1) {
    const float d = fp16_to_fp32(blocks[i].d);
    const float m = fp16_to_fp32(blocks[i].m);
    for (int j = 0; j < kHalf; ++j) {
      dst[j] = static_cast<float>(blocks[i].qs[j] & 0xf) * d + m;
      dst[j + kHalf] = static_cast<float>(blocks[i].qs[j] >> 4) * d + m;
    }
  }
}

void dequantize_row_q5_0(const void* src, float* dst, int64_t n) {
  const auto* blocks = static_cast<const block_q5_0*>(src);
  for (int64_t i = 0; i < n / kQK5_0; ++i, dst += kQK5_0) {
    const float d = fp16_to_fp32(blocks[i].d);
    const uint32_t qh = load_qh(blocks[i].qh);
    for (int j = 0; j < kHalf; ++j) {
      dst[j] = static_cast<float>(((blocks[i].qs[j] & 0xf) | high_bit_lo(qh, j)) - 16) * d;
      dst[j + kHalf] = static_cast<float>(((blocks[i].qs[j] >> 4) | high_bit_hi(qh, j)) - 16) * d;
    }
  }
}

void dequantize_row_q5_1(const void* src, float* dst, int64_t n) {
  const auto* blocks = static_cast<const block_q5_1*>(src);
  for (int64_t i = 0; i < n / kQK5_1; ++i, dst += kQK5_1) {
    const float d = fp16_to_fp32(blocks[i].d);
    const float m = fp16_to_fp32(blocks[i].m);
    const uint32_t qh = load_qh(blocks[i].qh);
    for (int j = 0; j < kHalf; ++j) {
      dst[j] = static_cast<float>((blocks[i].qs[j] & 0xf) | high_bit_lo(qh, j)) * d + m;
      dst[j + kHalf] = static_cast<float>((blocks[i].qs[j] >> 4) | high_bit_hi(qh, j)) * d + m;
    }
  }
}

void dequantize_row_q8_0(const void* src, float* dst, int64_t n) {
  const auto* blocks = static_cast<const block_q8_0*>(src);
  for (int64_t i = 0; i < n / kQK8_0; ++i, dst += kQK8_0) {
    const float d = fp16_to_fp32(blocks[i].d);
    for (int j = 0; j < kQK8_0; ++j) dst[j] = static_cast<float>(blocks[i].qs[j]) * d;
  }
}

void dequantize_row_q8_1(const void* src, float* dst, int64_t n) {
  const auto* blocks = static_cast<const block_q8_1*>(src);
  for (int64_t i = 0; i < n / kQK8_1; ++i, dst += kQK8_1) {
    const float d = fp16_to_fp32(blocks[i].d);
    for (int j = 0; j < kQK8_1; ++j) dst[j] = static_cast<float>(blocks[i].qs[j]) * d;
  }
}

void quantize_row_q4_0(const float* src, void* dst, int64_t n) {
  auto* blocks = static_cast<block_q4_0*>(dst);
  for (int64_t i = 0; i < n / kQK4_0; ++i, src += kQK4_0) {
    // The extreme value maps to q = 0 (x = -8 d), so d carries the sign of the extreme.
    const float d = signed_absmax(src) / -8;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    blocks[i].d = fp32_to_fp16(d);
    for (int j = 0; j < kHalf; ++j) {
      const uint8_t lo = truncate_level(src[j] * id + 8.5f, 15);
      const uint8_t hi = truncate_level(src[j + kHalf] * id + 8.5f, 15);
      blocks[i].qs[j] = static_cast<uint8_t>(lo | (hi << 4));
    }
  }
}

void quantize_row_q4_1(const float* src, void* dst, int64_t n) {
  auto* blocks = static_cast<block_q4_1*>(dst);
  for (int64_t i = 0; i < n / kQK4_1; ++i, src += kQK4_1) {
    float min, max;
    min_max(src, min, max);
    const float d = (max - min) / 15;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    blocks[i].d = fp32_to_fp16(d);
    blocks[i].m = fp32_to_fp16(min);
    for (int j = 0; j < kHalf; ++j) {
      const uint8_t lo = truncate_level((src[j] - min) * id + 0.5f, 15);
      const uint8_t hi = truncate_level((src[j + kHalf] - min) * id + 0.5f, 15);
      blocks[i].qs[j] = static_cast<uint8_t>(lo | (hi << 4));
    }
  }
}

void quantize_row_q5_0(const float* src, void* dst, int64_t n) {
  auto* blocks = static_cast<block_q5_0*>(dst);
  for (int64_t i = 0; i < n / kQK5_0; ++i, src += kQK5_0) {
    const float d = signed_absmax(src) / -16;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    blocks[i].d = fp32_to_fp16(d);
    uint32_t qh = 0;
    for (int j = 0; j < kHalf; ++j) {
      const uint8_t lo = truncate_level(src[j] * id + 16.5f, 31);
      const uint8_t hi = truncate_level(src[j + kHalf] * id + 16.5f, 31);
      blocks[i].qs[j] = static_cast<uint8_t>((lo & 0xf) | ((hi & 0xf) << 4));
      qh |= static_cast<uint32_t>(lo >> 4) << j;
      qh |= static_cast<uint32_t>(hi >> 4) << (j + kHalf);
    }
    store_qh(blocks[i].qh, qh);
  }
}

void quantize_row_q5_1(const float* src, void* dst, int64_t n) {
  auto* blocks = static_cast<block_q5_1*>(dst);
  for (int64_t i = 0; i < n / kQK5_1; ++i, src += kQK5_1) {
    float min, max;
    min_max(src, min, max);
    const float d = (max - min) / 31;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    blocks[i].d = fp32_to_fp16(d);
    blocks[i].m = fp32_to_fp16(min);
    uint32_t qh = 0;
    for (int j = 0; j < kHalf; ++j) {
      const uint8_t lo = truncate_level((src[j] - min) * id + 0.5f, 31);
      const uint8_t hi = truncate_level((src[j + kHalf] - min) * id + 0.5f, 31);
      blocks[i].qs[j] = static_cast<uint8_t>((lo & 0xf) | ((hi & 0xf) << 4));
      qh |= static_cast<uint32_t>(lo >> 4) << j;
      qh |= static_cast<uint32_t>(hi >> 4) << (j + kHalf);
    }
    store_qh(blocks[i].qh, qh);
  }
}

void quantize_row_q8_0(const float* src, void* dst, int64_t n) { quantize_q8_0(src, dst, n, Quantizing::Weights); }
void quantize_row_q8_1(const float* src, void* dst, int64_t n) { quantize_q8_1(src, dst, n, Quantizing::Weights); }
void quantize_activations_q8_0(const float* src, void* dst, int64_t n) {
  quantize_q8_0(src, dst, n, Quantizing::Activations);
}
void quantize_activations_q8_1(const float* src, void* dst, int64_t n) {
  quantize_q8_1(src, dst, n, Quantizing::Activations);
}

float vec_dot_q4_0_q8_0(int64_t n, const void* w, const void* a) {
  const auto* x = static_cast<const block_q4_0*>(w);
  const auto* y = static_cast<const block_q8_0*>(a);
  LaneSums sum;  // the reference's summation order (lane_sum.h)
  for (int64_t i = 0; i < n / kQK4_0; ++i) {
    std::array<int32_t, kLanes> lanes{};
    for (int j = 0; j < kHalf; ++j) {
      lanes[lane_of(j)] += ((x[i].qs[j] & 0xf) - 8) * y[i].qs[j];
      lanes[lane_of(j + kHalf)] += ((x[i].qs[j] >> 4) - 8) * y[i].qs[j + kHalf];
    }
    sum.add(fp16_to_fp32(x[i].d) * fp16_to_fp32(y[i].d), lanes);
  }
  return sum.total();
}

float vec_dot_q4_0_q8_0_repacked(int64_t n, const void* w, const void* a) {
  const auto* x = static_cast<const block_q4_0*>(w);
  const auto* y = static_cast<const block_q8_0*>(a);
  float sum = 0;
  for (int64_t i = 0; i < n / kQK4_0; ++i) {
    int32_t dot = 0;
    for (int j = 0; j < kHalf; ++j)
      dot += ((x[i].qs[j] & 0xf) - 8) * y[i].qs[j] + ((x[i].qs[j] >> 4) - 8) * y[i].qs[j + kHalf];
    sum = std::fma(static_cast<float>(dot), fp16_to_fp32(x[i].d) * fp16_to_fp32(y[i].d), sum);
  }
  return sum;
}

float vec_dot_q4_1_q8_1(int64_t n, const void* w, const void* a) {
  const auto* x = static_cast<const block_q4_1*>(w);
  const auto* y = static_cast<const block_q8_1*>(a);
  float sum = 0;
  for (int64_t i = 0; i < n / kQK4_1; ++i) {
    int isum = 0;
    for (int j = 0; j < kHalf; ++j) {
      isum += (x[i].qs[j] & 0xf) * y[i].qs[j];
      isum += (x[i].qs[j] >> 4) * y[i].qs[j + kHalf];
    }
    // sum_j (d_w q_j + m_w) * d_a p_j = d_w d_a sum(q p) + m_w * (d_a sum p)
    sum += fp16_to_fp32(x[i].d) * fp16_to_fp32(y[i].d) * static_cast<float>(isum) +
           fp16_to_fp32(x[i].m) * fp16_to_fp32(y[i].s);
  }
  return sum;
}

float vec_dot_q5_0_q8_0(int64_t n, const void* w, const void* a) {
  const auto* x = static_cast<const block_q5_0*>(w);
  const auto* y = static_cast<const block_q8_0*>(a);
  float sum = 0;
  for (int64_t i = 0; i < n / kQK5_0; ++i) {
    const uint32_t qh = load_qh(x[i].qh);
    int isum = 0;
    for (int j = 0; j < kHalf; ++j) {
      isum += (((x[i].qs[j] & 0xf) | high_bit_lo(qh, j)) - 16) * y[i].qs[j];
      isum += (((x[i].qs[j] >> 4) | high_bit_hi(qh, j)) - 16) * y[i].qs[j + kHalf];
    }
    sum += fp16_to_fp32(x[i].d) * fp16_to_fp32(y[i].d) * static_cast<float>(isum);
  }
  return sum;
}

float vec_dot_q5_1_q8_1(int64_t n, const void* w, const void* a) {
  const auto* x = static_cast<const block_q5_1*>(w);
  const auto* y = static_cast<const block_q8_1*>(a);
  float sum = 0;
  for (int64_t i = 0; i < n / kQK5_1; ++i) {
    const uint32_t qh = load_qh(x[i].qh);
    int isum = 0;
    for (int j = 0; j < kHalf; ++j) {
      isum += ((x[i].qs[j] & 0xf) | high_bit_lo(qh, j)) * y[i].qs[j];
      isum += ((x[i].qs[j] >> 4) | high_bit_hi(qh, j)) * y[i].qs[j + kHalf];
    }
    sum += fp16_to_fp32(x[i].d) * fp16_to_fp32(y[i].d) * static_cast<float>(isum) +
           fp16_to_fp32(x[i].m) * fp16_to_fp32(y[i].s);
  }
  return sum;
}

float vec_dot_q8_0_q8_0(int64_t n, const void* w, const void* a) {
  const auto* x = static_cast<const block_q8_0*>(w);
  const auto* y = static_cast<const block_q8_0*>(a);
  LaneSums sum;  // the reference's summation order (lane_sum.h)
  for (int64_t i = 0; i < n / kQK8_0; ++i) {
    std::array<int32_t, kLanes> lanes{};
    for (int j = 0; j < kQK8_0; ++j) lanes[lane_of(j)] += x[i].qs[j] * y[i].qs[j];
    sum.add(fp16_to_fp32(x[i].d) * fp16_to_fp32(y[i].d), lanes);
  }
  return sum.total();
}

}  // namespace sb::engine
