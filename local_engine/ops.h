#pragma once
// The numeric kernels of the transformer, one token at a time, computed the way the
// reference engine's scalar CPU path computes them (same operation order, same float /
// double accumulations), so logits match it closely. Scalar for now; SIMD or threaded
// versions must keep these as their reference.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "local_engine/model_config.h"
#include "local_engine/model_weights.h"

namespace sb::engine {

// out[n] = x[n] / sqrt(mean(x^2) + eps) * weight[n]. out may alias x.
void rms_norm(float* out, const float* x, const float* weight, int64_t n, float eps);

// out[w.rows] = w · x[w.cols]. x is converted once to the weight's vec_dot_type (into
// `scratch`, grown as needed), then each row is one vec_dot — as ggml's mul_mat does.
void matvec(float* out, const WeightMatrix& w, const float* x, std::vector<std::byte>& scratch);

// out[w.cols] = row `row` of w, dequantized.
void dequantize_row(float* out, const WeightMatrix& w, int64_t row);

// x[n] += y[n]
void add_in_place(float* x, const float* y, int64_t n);

// gate[n] = silu(gate) * up
void swiglu_in_place(float* gate, const float* up, int64_t n);

// x[n] = softmax(x * scale)
void scaled_softmax_in_place(float* x, int64_t n, float scale);

// cos_sin[n_rot] = (cos θ_i, sin θ_i) pairs for position `pos`, θ_i = pos * freq_scale *
// base^(-2i/n_rot) / freq_factors[i] (freq_factors[n_rot/2] may be nullptr).
void rope_angles(float* cos_sin, const RopeConfig& rope, const float* freq_factors, int64_t pos);

// Rotates the first n_rot dims of each of the n_heads heads of x[n_heads * head_dim].
void apply_rope(float* x, int64_t n_heads, int64_t head_dim, const float* cos_sin,
                const RopeConfig& rope);

}  // namespace sb::engine
