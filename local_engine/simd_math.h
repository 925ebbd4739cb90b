#pragma once
// The reference engine's vectorized float math, written in scalar code so that it gives
// the same bits: its x86-64 build (AVX-512) computes exp in softmax and SiLU with a
// polynomial (ggml's ggml_v_expf, "max error 1.45 ulp + 0.5"), not with libm's expf, and
// adds 16-lane registers in a fixed tree. Using libm or another order moves a float by
// an ulp now and then, which the next F16 or 8-bit rounding can turn into a visible
// difference in the logits.
#include <array>

namespace sb::engine {

inline constexpr int kVecLanes = 16;  // floats in one AVX-512 register

// exp(x) as the AVX-512 ggml_v_expf computes it: round x*log2(e) to n, a degree-5
// polynomial in the remainder b (two FMAs for b = x - n*ln2), then scale by 2^n; |n| > 192
// gives 0 (n < 0) or +inf.
float simd_expf(float x);

// silu(x) = x / (1 + exp(-x)) with simd_expf, as ggml_v_silu.
float simd_silu(float x);

// Horizontal sum of a 16-lane register in _mm512_reduce_add_ps order: upper 8 + lower 8,
// then upper 4 + lower 4, then lanes (0+2, 1+3), then the two.
float reduce_add16(const std::array<float, kVecLanes>& lanes);

}  // namespace sb::engine
