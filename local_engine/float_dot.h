#pragma once
// F32 and F16 dot products in the summation orders of the reference engine's x86-64
// (AVX-512) kernels, in scalar code. Rounding happens where the SIMD code rounds, so the
// results are the same floats, not merely close ones:
//  - row order (ggml_vec_dot_f32 / _f16, one token): four accumulators of 16 lanes take
//    steps of 64 elements (lane l of accumulator j fuses element 64s + 16j + l), the
//    accumulators fold 0+2 and 1+3, then 0+1, and the 16 lanes are added by
//    reduce_add16; elements past the last whole step of `n_steps_of` elements are then
//    added one by one (F32: into the float sum, each product rounded for whole groups
//    of 8 and fused for the last n % 8 — the reference compiler's vectorized tail loop;
//    F16: in double).
//  - tiled order (the batch GEMM, llamafile's tinyBLAS): one 16-lane accumulator, lane l
//    fuses elements l, l+16, l+32, ...; reduce_add16. The GEMM takes only rows whose
//    length is a multiple of 16 (callers check; see weight_dot_kernel()).
// F16 elements are widened exactly; their products are exact in float.
#include <cstdint>

namespace sb::engine {

float dot_f32_row_order(const float* x, const float* y, int64_t n);
float dot_f32_tiled_order(const float* x, const float* y, int64_t n);

// n elements are read; the split between whole steps and the tail is made as if the
// rows had n_steps_of >= n elements, the rest zeros (attention over a padded KV cache).
float dot_f16_row_order(const uint16_t* x, const uint16_t* y, int64_t n, int64_t n_steps_of);
float dot_f16_tiled_order(const uint16_t* x, const uint16_t* y, int64_t n);

}  // namespace sb::engine
