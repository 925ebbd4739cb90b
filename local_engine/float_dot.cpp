#include "local_engine/float_dot.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "local_engine/ggml_type.h"
#include "local_engine/simd_math.h"

namespace sb::engine {
namespace {

constexpr int kAccumulators = 4;
constexpr int64_t kStep = kAccumulators * kVecLanes;  // elements per step of the row kernel

using Lanes = std::array<float, kVecLanes>;

// Sum over the whole steps below `end_of_steps` of a row-order dot; `at(i)` is the product's
// two factors of element i. Elements at or past `n` are zeros (padding).
template <typename Factors>
float row_order_steps(int64_t n, int64_t end_of_steps, Factors at) {
  std::array<Lanes, kAccumulators> acc{};
  for (int64_t i = 0; i < std::min(n, end_of_steps); ++i) {
    const auto [a, b] = at(i);
    float& lane = acc[static_cast<size_t>((i % kStep) / kVecLanes)][static_cast<size_t>(i % kVecLanes)];
    lane = std::fma(a, b, lane);
  }
  for (int l = 0; l < kVecLanes; ++l) {
    acc[0][l] += acc[2][l];
    acc[1][l] += acc[3][l];
  }
  for (int l = 0; l < kVecLanes; ++l) acc[0][l] += acc[1][l];
  return reduce_add16(acc[0]);
}

template <typename Factors>
float tiled_order(int64_t n, Factors at) {
  Lanes acc{};
  for (int64_t i = 0; i < n; ++i) {
    const auto [a, b] = at(i);
    acc[static_cast<size_t>(i % kVecLanes)] = std::fma(a, b, acc[static_cast<size_t>(i % kVecLanes)]);
  }
  return reduce_add16(acc);
}

struct F32Factors {
  const float* x;
  const float* y;
  std::array<float, 2> operator()(int64_t i) const { return {x[i], y[i]}; }
};

struct F16Factors {
  const uint16_t* x;
  const uint16_t* y;
  std::array<float, 2> operator()(int64_t i) const { return {fp16_to_fp32(x[i]), fp16_to_fp32(y[i])}; }
};

}  // namespace

float dot_f32_row_order(const float* x, const float* y, int64_t n) {
  const int64_t end_of_steps = n - n % kStep;
  float sum = row_order_steps(n, end_of_steps, F32Factors{x, y});
  for (int64_t i = end_of_steps; i < n; ++i) sum = std::fma(x[i], y[i], sum);
  return sum;
}

float dot_f32_tiled_order(const float* x, const float* y, int64_t n) {
  return tiled_order(n, F32Factors{x, y});
}

float dot_f16_row_order(const uint16_t* x, const uint16_t* y, int64_t n, int64_t n_steps_of) {
  const int64_t end_of_steps = n_steps_of - n_steps_of % kStep;
  double sum = row_order_steps(n, end_of_steps, F16Factors{x, y});
  for (int64_t i = end_of_steps; i < n; ++i)
    sum += static_cast<double>(fp16_to_fp32(x[i]) * fp16_to_fp32(y[i]));
  return static_cast<float>(sum);
}

float dot_f16_tiled_order(const uint16_t* x, const uint16_t* y, int64_t n) {
  return tiled_order(n, F16Factors{x, y});
}

}  // namespace sb::engine
