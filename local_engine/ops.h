#pragma once
// The numeric kernels of the transformer, one token at a time, computed the way the
// reference engine's x86-64 (AVX-512) CPU build computes them: the same operations in the
// same order, with its vectorized exp (simd_math.h) and its summation orders
// (float_dot.h, lane_sum.h), so logits equal its logits. Scalar for now; SIMD or threaded
// versions must keep these as their reference.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "local_engine/batch_pass.h"
#include "local_engine/ggml_type.h"
#include "local_engine/model_config.h"
#include "local_engine/model_weights.h"

namespace sb::engine {

// out[n] = x[n] / sqrt(mean(x^2) + eps) * weight[n]. out may alias x.
void rms_norm(float* out, const float* x, const float* weight, int64_t n, float eps);

// The dot product the reference runs for the rows of `w` in `pass`: the repacked kernel
// for matrices it repacks (the type has one and rows % 8 == 0), the batch GEMM's for a
// batch when the GEMM takes the shape (batch_gemm_takes), else vec_dot.
VecDotFn weight_dot_kernel(const GgmlTypeTraits& traits, const WeightMatrix& w, Pass pass);

// out[w.rows] = w · x[w.cols]. x is converted once to the weight's vec_dot_type (into
// `scratch`, grown as needed), then each row is one dot product — as ggml's mul_mat does.
void matvec(float* out, const WeightMatrix& w, const float* x, std::vector<std::byte>& scratch,
            Pass pass);

// out[w.cols] = row `row` of w, dequantized.
void dequantize_row(float* out, const WeightMatrix& w, int64_t row);

// x[n] += y[n]
void add_in_place(float* x, const float* y, int64_t n);

// gate[n] = silu(gate) * up; silu by simd_silu in whole 16-lane registers, by libm's expf
// for the n % 16 elements after them (as ggml_vec_swiglu_f32).
void swiglu_in_place(float* gate, const float* up, int64_t n);

// x[n] = softmax(x * scale): exp by simd_expf, the sum of each 16-lane register
// (reduce_add16) added in double, then x scaled by the float of 1/sum.
void scaled_softmax_in_place(float* x, int64_t n, float scale);

// cos_sin[n_rot] = (cos θ_i, sin θ_i) pairs for position `pos`, θ_i = pos * freq_scale *
// base^(-2i/n_rot) / freq_factors[i] (freq_factors[n_rot/2] may be nullptr).
void rope_angles(float* cos_sin, const RopeConfig& rope, const float* freq_factors, int64_t pos);

// Rotates the first n_rot dims of each of the n_heads heads of x[n_heads * head_dim].
// Each rotated value is one fused multiply-add, as the reference's compiler contracts
// x0*c - x1*s and x0*s + x1*c: in its vectorized loop (whole groups of 8 pairs) the first
// product is fused, in the scalar loop for the remaining pairs the second.
void apply_rope(float* x, int64_t n_heads, int64_t head_dim, const float* cos_sin,
                const RopeConfig& rope);

}  // namespace sb::engine
