#pragma once
// The summation order of the reference engine's x86 (AVX2) dot-product kernels, written in
// scalar code. In a block dot product the integer products are summed per 32-bit lane (lane
// l takes elements 4l..4l+3 of every 32), each lane accumulates scale * lane_sum over the
// blocks with one rounding (a fused multiply-add), and the eight lanes are added pairwise
// at the end. Summing in this order, not front to back, keeps our logits equal to the
// reference's: otherwise the last bit of a sum differs now and then, and the next 8-bit
// activation quantization turns that into a whole quantization step. A SIMD kernel
// computes exactly this order, so it stays the contract for the fast kernels too.
#include <array>
#include <cmath>
#include <cstdint>

namespace sb::engine {

inline constexpr int kLanes = 8;

// Lane of element i of a block: its position within the 32-element group, by fours.
constexpr int lane_of(int i) { return (i % 32) / 4; }

struct LaneSums {
  std::array<float, kLanes> lane{};

  // lane[l] += scale * sums[l], rounded once.
  void add(float scale, const std::array<int32_t, kLanes>& sums) {
    for (int l = 0; l < kLanes; ++l) lane[l] = std::fma(scale, static_cast<float>(sums[l]), lane[l]);
  }
  // (upper half + lower half), then pairs, then the last two: _mm256 horizontal-sum order.
  float total() const {
    std::array<float, 4> half;
    for (int k = 0; k < 4; ++k) half[k] = lane[k + 4] + lane[k];
    return (half[0] + half[2]) + (half[1] + half[3]);
  }
};

}  // namespace sb::engine
