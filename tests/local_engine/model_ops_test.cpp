#include "local_engine/ops.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "local_engine/ggml_type.h"
#include "local_engine/quants.h"
#include "local_engine/simd_math.h"

namespace sb::engine {
namespace {

RopeConfig rope_config(RopeStyle style, int64_t n_rot, float scale = 1.0f) {
  RopeConfig r;
  r.style = style;
  r.n_rot = n_rot;
  r.freq_base = 10000.0f;
  r.freq_scale = scale;
  return r;
}

// Rotating (a, b) by angle t.
std::pair<float, float> rotated(float a, float b, double t) {
  return {static_cast<float>(a * std::cos(t) - b * std::sin(t)),
          static_cast<float>(a * std::sin(t) + b * std::cos(t))};
}

TEST(Ops, RopeAdjacentRotatesNeighbouringPairs) {
  const RopeConfig rope = rope_config(RopeStyle::Adjacent, 4);
  std::vector<float> cs(4);
  rope_angles(cs.data(), rope, nullptr, 3);  // angles 3 and 3 * 10000^(-1/2)
  std::vector<float> x = {1, 2, 3, 4, 5, 6};  // one head of 6, 4 rotated
  apply_rope(x.data(), 1, 6, cs.data(), rope);
  const auto [a0, a1] = rotated(1, 2, 3.0);
  const auto [b0, b1] = rotated(3, 4, 0.03);
  EXPECT_NEAR(x[0], a0, 1e-6);
  EXPECT_NEAR(x[1], a1, 1e-6);
  EXPECT_NEAR(x[2], b0, 1e-6);
  EXPECT_NEAR(x[3], b1, 1e-6);
  EXPECT_EQ(x[4], 5.0f);  // beyond n_rot: untouched
  EXPECT_EQ(x[5], 6.0f);
}

TEST(Ops, RopeNeoxPairsDimensionIWithIPlusHalf) {
  const RopeConfig rope = rope_config(RopeStyle::Neox, 4);
  std::vector<float> cs(4);
  rope_angles(cs.data(), rope, nullptr, 3);
  std::vector<float> x = {1, 2, 3, 4, 10, 20, 30, 40};  // two heads of 4
  apply_rope(x.data(), 2, 4, cs.data(), rope);
  const auto [a0, a1] = rotated(1, 3, 3.0);
  const auto [b0, b1] = rotated(2, 4, 0.03);
  EXPECT_NEAR(x[0], a0, 1e-6);
  EXPECT_NEAR(x[2], a1, 1e-6);
  EXPECT_NEAR(x[1], b0, 1e-6);
  EXPECT_NEAR(x[3], b1, 1e-6);
  const auto [c0, c1] = rotated(10, 30, 3.0);
  EXPECT_NEAR(x[4], c0, 1e-5);
  EXPECT_NEAR(x[6], c1, 1e-5);
}

// With x0 = x1 = c = s = a, x0*c - x1*s is 0 but for where a product is rounded: fusing
// the first product leaves +err(a*a), fusing the second -err(a*a).
TEST(Ops, RopeFusesTheFirstProductInWholeGroupsOfEightPairsAndTheSecondAfter) {
  const float a = 1.0f + 0x1p-12f;  // a*a = 1 + 2^-11 + 2^-24 rounds to 1 + 2^-11
  const float err = 0x1p-24f;
  for (const int64_t n_rot : {16, 8}) {  // 8 pairs: vectorized; 4 pairs: scalar
    const RopeConfig rope = rope_config(RopeStyle::Adjacent, n_rot);
    std::vector<float> cs(static_cast<size_t>(n_rot), a), x(static_cast<size_t>(n_rot), a);
    apply_rope(x.data(), 1, n_rot, cs.data(), rope);
    EXPECT_EQ(x[0], n_rot == 16 ? err : -err) << n_rot;
    EXPECT_EQ(x[1], 2 * a * a) << n_rot;  // no cancellation: the same either way
  }
}

TEST(Ops, RopeLinearScalingAndFreqFactorsDivideTheAngle) {
  std::vector<float> scaled(4), plain(4), factored(4);
  rope_angles(scaled.data(), rope_config(RopeStyle::Adjacent, 4, 0.5f), nullptr, 6);
  rope_angles(plain.data(), rope_config(RopeStyle::Adjacent, 4), nullptr, 3);
  const float factors[2] = {2.0f, 2.0f};
  rope_angles(factored.data(), rope_config(RopeStyle::Adjacent, 4), factors, 6);
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(scaled[i], plain[i], 1e-6) << i;
    EXPECT_NEAR(factored[i], plain[i], 1e-6) << i;
  }
}

TEST(Ops, RmsNormScalesToUnitRootMeanSquareTimesWeight) {
  const std::vector<float> x = {1, -2, 3, -4}, w = {1, 1, 2, 0.5f};
  std::vector<float> out(4);
  rms_norm(out.data(), x.data(), w.data(), 4, 1e-5f);
  const double inv = 1.0 / std::sqrt((1 + 4 + 9 + 16) / 4.0 + 1e-5);
  EXPECT_NEAR(out[0], 1 * inv, 1e-6);
  EXPECT_NEAR(out[1], -2 * inv, 1e-6);
  EXPECT_NEAR(out[2], 6 * inv, 1e-6);
  EXPECT_NEAR(out[3], -2 * inv, 1e-6);
}

TEST(Ops, SoftmaxAndSwigluUseTheReferenceVectorExp) {
  std::vector<float> x(20), expected(20);
  for (int i = 0; i < 20; ++i) x[i] = 0.37f * static_cast<float>(i) - 3.0f;
  const float max = x[19];
  for (int i = 0; i < 20; ++i) expected[i] = simd_expf(x[i] - max);
  std::array<float, kVecLanes> first{}, second{};
  for (int i = 0; i < 16; ++i) first[static_cast<size_t>(i)] = expected[i];
  for (int i = 16; i < 20; ++i) second[static_cast<size_t>(i - 16)] = expected[i];
  const float inv = static_cast<float>(1.0 / (double(reduce_add16(first)) + double(reduce_add16(second))));
  scaled_softmax_in_place(x.data(), 20, 1.0f);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(x[i], expected[i] * inv) << i;

  // SwiGLU: whole registers of 16 through simd_silu, the rest through libm.
  std::vector<float> gate(18), up(18, 1.5f);
  for (int i = 0; i < 18; ++i) gate[i] = 0.3f * static_cast<float>(i) - 2.0f;
  const std::vector<float> g = gate;
  swiglu_in_place(gate.data(), up.data(), 18);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(gate[i], simd_silu(g[i]) * 1.5f) << i;
  for (int i = 16; i < 18; ++i) EXPECT_EQ(gate[i], g[i] / (1.0f + std::exp(-g[i])) * 1.5f) << i;
}

TEST(Ops, ScaledSoftmaxAndSwiglu) {
  std::vector<float> x = {1, 2, 3};
  scaled_softmax_in_place(x.data(), 3, 0.5f);
  const double sum = std::exp(0.5) + std::exp(1.0) + std::exp(1.5);
  EXPECT_NEAR(x[0], std::exp(0.5) / sum, 1e-6);
  EXPECT_NEAR(x[2], std::exp(1.5) / sum, 1e-6);

  std::vector<float> gate = {-1, 0, 2};
  const std::vector<float> up = {3, 5, 0.5f};
  swiglu_in_place(gate.data(), up.data(), 3);
  EXPECT_NEAR(gate[0], -1 / (1 + std::exp(1.0)) * 3, 1e-6);
  EXPECT_EQ(gate[1], 0.0f);
  EXPECT_NEAR(gate[2], 2 / (1 + std::exp(-2.0)) * 0.5, 1e-6);
}

// A [rows x cols] matrix of `type` quantized from `values`.
struct OwnedMatrix {
  std::vector<uint8_t> bytes;
  WeightMatrix view;
};

OwnedMatrix make_matrix(GgmlType type, int64_t rows, int64_t cols, const std::vector<float>& values) {
  OwnedMatrix m;
  const size_t row_bytes = row_size(type, cols);
  m.bytes.resize(row_bytes * static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r)
    type_traits(type).from_float(values.data() + r * cols, m.bytes.data() + r * row_bytes, cols);
  m.view = {type, rows, cols, row_bytes, reinterpret_cast<const std::byte*>(m.bytes.data())};
  return m;
}

TEST(Ops, WeightDotKernelFollowsTheReferenceDispatch) {
  const auto kernel = [](GgmlType type, int64_t rows, int64_t cols, Pass pass) {
    const WeightMatrix w{type, rows, cols, row_size(type, cols), nullptr};
    return weight_dot_kernel(type_traits(type), w, pass);
  };
  // Q4_0 matrices with rows % 8 == 0 are repacked, in either pass.
  EXPECT_EQ(kernel(GgmlType::Q4_0, 16, 64, Pass::Single), &vec_dot_q4_0_q8_0_repacked);
  EXPECT_EQ(kernel(GgmlType::Q4_0, 12, 64, Pass::Batch), &vec_dot_q4_0_q8_0);
  // F32 / F16: the batch GEMM when the shape fits it, the row kernel otherwise.
  EXPECT_EQ(kernel(GgmlType::F32, 8, 64, Pass::Batch), &vec_dot_f32_tiled);
  EXPECT_EQ(kernel(GgmlType::F32, 8, 64, Pass::Single), &vec_dot_f32);
  EXPECT_EQ(kernel(GgmlType::F32, 8, 172, Pass::Batch), &vec_dot_f32);
  EXPECT_EQ(kernel(GgmlType::F16, 6, 64, Pass::Batch), &vec_dot_f16);
  EXPECT_EQ(kernel(GgmlType::F16, 4, 32, Pass::Batch), &vec_dot_f16_tiled);
  // Types with one kernel.
  EXPECT_EQ(kernel(GgmlType::Q8_0, 16, 64, Pass::Batch), &vec_dot_q8_0_q8_0);
}

TEST(Ops, MatvecMatchesTheDequantizedProduct) {
  const int64_t rows = 3, cols = 256;
  std::vector<float> w(rows * cols), x(cols);
  for (int64_t i = 0; i < rows * cols; ++i) w[i] = std::sin(0.37f * static_cast<float>(i));
  for (int64_t i = 0; i < cols; ++i) x[i] = std::cos(0.11f * static_cast<float>(i));
  for (GgmlType type : {GgmlType::F32, GgmlType::F16, GgmlType::Q8_0, GgmlType::Q4_0}) {
    const OwnedMatrix m = make_matrix(type, rows, cols, w);
    std::vector<float> out(rows), row(cols);
    std::vector<std::byte> scratch;
    matvec(out.data(), m.view, x.data(), scratch, Pass::Single);
    for (int64_t r = 0; r < rows; ++r) {
      dequantize_row(row.data(), m.view, r);
      double expected = 0;
      for (int64_t i = 0; i < cols; ++i) expected += double(row[i]) * x[i];
      // Activations are quantized too: 8-bit for Q8_0/Q4_0, F16 for F16.
      const double tol = type == GgmlType::F32 ? 1e-4 : type == GgmlType::F16 ? 1e-2 : 0.3;
      EXPECT_NEAR(out[r], expected, tol) << type_name(type) << " row " << r;
    }
  }
}

}  // namespace
}  // namespace sb::engine
