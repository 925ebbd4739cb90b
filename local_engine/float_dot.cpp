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
// Always inlined, so that with_fma() below compiles it with FMA instructions.
template <typename Factors>
[[gnu::always_inline]] inline float row_order_steps(int64_t n, int64_t end_of_steps, Factors at) {
  std::array<Lanes, kAccumulators> acc{};
  const int64_t end = std::min(n, end_of_steps);
  int64_t step = 0;
  for (; step + kStep <= end; step += kStep)  // whole steps: no bounds to check
    for (int j = 0; j < kAccumulators; ++j)
      for (int l = 0; l < kVecLanes; ++l) {
        const auto [a, b] = at(step + j * kVecLanes + l);
        acc[j][l] = std::fma(a, b, acc[j][l]);
      }
  for (int64_t i = step; i < end; ++i) {  // a step cut short by the end of the real elements
    const auto [a, b] = at(i);
    float& lane = acc[static_cast<size_t>((i - step) / kVecLanes)][static_cast<size_t>(i % kVecLanes)];
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
[[gnu::always_inline]] inline float tiled_order(int64_t n, Factors at) {
  Lanes acc{};
  int64_t start = 0;
  for (; start + kVecLanes <= n; start += kVecLanes)
    for (int l = 0; l < kVecLanes; ++l) {
      const auto [a, b] = at(start + l);
      acc[l] = std::fma(a, b, acc[l]);
    }
  for (int64_t i = start; i < n; ++i) {
    const auto [a, b] = at(i);
    acc[static_cast<size_t>(i - start)] = std::fma(a, b, acc[static_cast<size_t>(i - start)]);
  }
  return reduce_add16(acc);
}

struct F32Factors {
  const float* x;
  const float* y;
  std::array<float, 2> operator()(int64_t i) const { return {x[i], y[i]}; }
};

// Every F16 value widened, built once (256 KB): the conversion with its subnormal and
// special cases cost more than the dot product itself.
const std::array<float, 65536>& widened_halves() {
  static const auto table = [] {
    std::array<float, 65536> t{};
    for (uint32_t h = 0; h < t.size(); ++h) t[h] = fp16_to_fp32(static_cast<uint16_t>(h));
    return t;
  }();
  return table;
}

struct F16Factors {
  const uint16_t* x;
  const uint16_t* y;
  const std::array<float, 65536>& widen = widened_halves();
  std::array<float, 2> operator()(int64_t i) const { return {widen[x[i]], widen[y[i]]}; }
};

// Each dot product is compiled twice: with FMA instructions, and for any x86-64 with
// libm's fmaf (the same results, slower). The choice is made on each call from a flag
// read once; not with ifunc target clones, whose resolvers run before ThreadSanitizer's
// runtime is up.
bool cpu_has_fma() {
  static const bool has = __builtin_cpu_supports("fma");
  return has;
}

template <auto kernel, typename... Args>
[[gnu::target("fma")]] float with_fma(Args... args) {
  return kernel(args...);
}

template <auto kernel, typename... Args>
float dispatch(Args... args) {
  return cpu_has_fma() ? with_fma<kernel>(args...) : kernel(args...);
}

[[gnu::always_inline]] inline float f32_row(const float* x, const float* y, int64_t n) {
  const int64_t end_of_steps = n - n % kStep;
  float sum = row_order_steps(n, end_of_steps, F32Factors{x, y});
  // The reference's compiler vectorizes its tail loop 8 floats at a time, keeping the
  // order of the additions but rounding each product; the last n % 8 are contracted to FMAs.
  constexpr int64_t kTailVector = 8;
  const int64_t vector_tail_end = end_of_steps + (n - end_of_steps) / kTailVector * kTailVector;
  for (int64_t i = end_of_steps; i < vector_tail_end; ++i) sum += x[i] * y[i];
  for (int64_t i = vector_tail_end; i < n; ++i) sum = std::fma(x[i], y[i], sum);
  return sum;
}

[[gnu::always_inline]] inline float f32_tiled(const float* x, const float* y, int64_t n) {
  return tiled_order(n, F32Factors{x, y});
}

[[gnu::always_inline]] inline float f16_row(const uint16_t* x, const uint16_t* y, int64_t n, int64_t n_steps_of) {
  const int64_t end_of_steps = n_steps_of - n_steps_of % kStep;
  const F16Factors at{x, y};
  double sum = row_order_steps(n, end_of_steps, at);
  for (int64_t i = end_of_steps; i < n; ++i) {
    const auto [a, b] = at(i);
    sum += static_cast<double>(a * b);
  }
  return static_cast<float>(sum);
}

[[gnu::always_inline]] inline float f16_tiled(const uint16_t* x, const uint16_t* y, int64_t n) {
  return tiled_order(n, F16Factors{x, y});
}

}  // namespace

float dot_f32_row_order(const float* x, const float* y, int64_t n) { return dispatch<f32_row>(x, y, n); }

float dot_f32_tiled_order(const float* x, const float* y, int64_t n) { return dispatch<f32_tiled>(x, y, n); }

float dot_f16_row_order(const uint16_t* x, const uint16_t* y, int64_t n, int64_t n_steps_of) {
  return dispatch<f16_row>(x, y, n, n_steps_of);
}

float dot_f16_tiled_order(const uint16_t* x, const uint16_t* y, int64_t n) { return dispatch<f16_tiled>(x, y, n); }

}  // namespace sb::engine
