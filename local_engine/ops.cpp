#include "local_engine/ops.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "local_engine/simd_math.h"

namespace sb::engine {

void rms_norm(float* out, const float* x, const float* weight, int64_t n, float eps) {
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i] * x[i]);
  const float mean = static_cast<float>(sum / static_cast<double>(n));
  const float scale = 1.0f / std::sqrt(mean + eps);
  for (int64_t i = 0; i < n; ++i) out[i] = (x[i] * scale) * weight[i];
}

VecDotFn weight_dot_kernel(const GgmlTypeTraits& traits, const WeightMatrix& w, Pass pass) {
  constexpr int64_t kRepackRows = 8;
  if (traits.vec_dot_repacked && w.rows % kRepackRows == 0) return traits.vec_dot_repacked;
  if (pass == Pass::Batch && traits.vec_dot_tiled && batch_gemm_takes(w.rows, w.cols))
    return traits.vec_dot_tiled;
  return traits.vec_dot;
}

void matvec(float* out, const WeightMatrix& w, const float* x, std::vector<std::byte>& scratch,
            Pass pass) {
  const GgmlTypeTraits& traits = type_traits(w.type);
  const GgmlTypeTraits& act = type_traits(traits.vec_dot_type);
  const size_t act_bytes = row_size(act.type, w.cols);
  if (scratch.size() < act_bytes) scratch.resize(act_bytes);
  activation_quantizer(act.type)(x, scratch.data(), w.cols);
  const VecDotFn dot = weight_dot_kernel(traits, w, pass);
  for (int64_t r = 0; r < w.rows; ++r) out[r] = dot(w.cols, w.row(r), scratch.data());
}

void dequantize_row(float* out, const WeightMatrix& w, int64_t row) {
  type_traits(w.type).to_float(w.row(row), out, w.cols);
}

void add_in_place(float* x, const float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) x[i] += y[i];
}

void swiglu_in_place(float* gate, const float* up, int64_t n) {
  const int64_t in_registers = n - n % kVecLanes;
  for (int64_t i = 0; i < in_registers; ++i) gate[i] = simd_silu(gate[i]) * up[i];
  for (int64_t i = in_registers; i < n; ++i) gate[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

void scaled_softmax_in_place(float* x, int64_t n, float scale) {
  float max = -INFINITY;
  for (int64_t i = 0; i < n; ++i) {
    x[i] *= scale;
    max = std::fmax(max, x[i]);
  }
  // The reference's row is the KV cache padded to a multiple of 32 cells, the padding
  // masked to -inf: every real element is in a whole register, padding adds zeros.
  double sum = 0.0;
  for (int64_t start = 0; start < n; start += kVecLanes) {
    std::array<float, kVecLanes> lanes{};
    for (int64_t i = start; i < std::min(n, start + kVecLanes); ++i)
      lanes[static_cast<size_t>(i - start)] = x[i] = simd_expf(x[i] - max);
    sum += static_cast<double>(reduce_add16(lanes));
  }
  const float inv = static_cast<float>(1.0 / sum);
  for (int64_t i = 0; i < n; ++i) x[i] *= inv;
}

void rope_angles(float* cos_sin, const RopeConfig& rope, const float* freq_factors, int64_t pos) {
  const float theta_scale = std::pow(rope.freq_base, -2.0f / static_cast<float>(rope.n_rot));
  float theta = static_cast<float>(pos);
  for (int64_t i = 0; i < rope.n_rot / 2; ++i) {
    const float factor = freq_factors ? freq_factors[i] : 1.0f;
    const float angle = rope.freq_scale * (theta / factor);
    cos_sin[2 * i] = std::cos(angle);
    cos_sin[2 * i + 1] = std::sin(angle);
    theta *= theta_scale;
  }
}

void apply_rope(float* x, int64_t n_heads, int64_t head_dim, const float* cos_sin,
                const RopeConfig& rope) {
  const int64_t half = rope.n_rot / 2;
  constexpr int64_t kPairsPerVector = 8;
  const int64_t vectorized = half - half % kPairsPerVector;
  // Offsets of the two elements of pair i inside a head.
  const bool neox = rope.style == RopeStyle::Neox;
  for (int64_t h = 0; h < n_heads; ++h) {
    float* head = x + h * head_dim;
    for (int64_t i = 0; i < half; ++i) {
      float* a = neox ? head + i : head + 2 * i;
      float* b = neox ? head + i + half : head + 2 * i + 1;
      const float c = cos_sin[2 * i], s = cos_sin[2 * i + 1];
      const float x0 = *a, x1 = *b;
      if (i < vectorized) {
        *a = std::fma(x0, c, -(x1 * s));
        *b = std::fma(x0, s, x1 * c);
      } else {
        *a = std::fma(-x1, s, x0 * c);
        *b = std::fma(x1, c, x0 * s);
      }
    }
  }
}

}  // namespace sb::engine
