#include "local_engine/ops.h"

#include <cmath>

#include "local_engine/ggml_type.h"

namespace sb::engine {

void rms_norm(float* out, const float* x, const float* weight, int64_t n, float eps) {
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i] * x[i]);
  const float mean = static_cast<float>(sum / static_cast<double>(n));
  const float scale = 1.0f / std::sqrt(mean + eps);
  for (int64_t i = 0; i < n; ++i) out[i] = (x[i] * scale) * weight[i];
}

void matvec(float* out, const WeightMatrix& w, const float* x, std::vector<std::byte>& scratch) {
  const GgmlTypeTraits& traits = type_traits(w.type);
  const GgmlTypeTraits& act = type_traits(traits.vec_dot_type);
  const size_t act_bytes = row_size(act.type, w.cols);
  if (scratch.size() < act_bytes) scratch.resize(act_bytes);
  activation_quantizer(act.type)(x, scratch.data(), w.cols);
  for (int64_t r = 0; r < w.rows; ++r) out[r] = traits.vec_dot(w.cols, w.row(r), scratch.data());
}

void dequantize_row(float* out, const WeightMatrix& w, int64_t row) {
  type_traits(w.type).to_float(w.row(row), out, w.cols);
}

void add_in_place(float* x, const float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) x[i] += y[i];
}

void swiglu_in_place(float* gate, const float* up, int64_t n) {
  for (int64_t i = 0; i < n; ++i) gate[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

void scaled_softmax_in_place(float* x, int64_t n, float scale) {
  float max = -INFINITY;
  for (int64_t i = 0; i < n; ++i) {
    x[i] *= scale;
    max = std::fmax(max, x[i]);
  }
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - max);
    sum += static_cast<double>(x[i]);
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
  // Offsets of the two elements of pair i inside a head.
  const bool neox = rope.style == RopeStyle::Neox;
  for (int64_t h = 0; h < n_heads; ++h) {
    float* head = x + h * head_dim;
    for (int64_t i = 0; i < half; ++i) {
      float* a = neox ? head + i : head + 2 * i;
      float* b = neox ? head + i + half : head + 2 * i + 1;
      const float c = cos_sin[2 * i], s = cos_sin[2 * i + 1];
      const float x0 = *a, x1 = *b;
      *a = x0 * c - x1 * s;
      *b = x0 * s + x1 * c;
    }
  }
}

}  // namespace sb::engine
