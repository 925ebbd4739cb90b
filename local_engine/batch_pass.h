#pragma once
// Whether a token is evaluated alone or as one of a batch of two or more (a prompt).
// The reference engine's CPU backend multiplies matrices with different kernels in the two
// cases (a tiled GEMM for batches, one dot product per row for a single token), and their
// sums round differently; forward() follows it so that logits match bit for bit.
#include <cstddef>
#include <cstdint>

namespace sb::engine {

enum class Pass { Single, Batch };

// The pass of each token of a batch of n tokens evaluated together.
constexpr Pass pass_for_batch(size_t n) { return n >= 2 ? Pass::Batch : Pass::Single; }

// Whether the reference's batch GEMM (llamafile's tinyBLAS, 16-lane) takes a product of
// `rows` rows of `length` elements; other products of a batch fall back to one dot
// product per row.
constexpr bool batch_gemm_takes(int64_t rows, int64_t length) {
  return rows % 4 == 0 && length % 16 == 0;
}

}  // namespace sb::engine
