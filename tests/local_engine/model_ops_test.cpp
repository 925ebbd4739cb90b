#include "local_engine/ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "local_engine/ggml_type.h"

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

TEST(Ops, MatvecMatchesTheDequantizedProduct) {
  const int64_t rows = 3, cols = 256;
  std::vector<float> w(rows * cols), x(cols);
  for (int64_t i = 0; i < rows * cols; ++i) w[i] = std::sin(0.37f * static_cast<float>(i));
  for (int64_t i = 0; i < cols; ++i) x[i] = std::cos(0.11f * static_cast<float>(i));
  for (GgmlType type : {GgmlType::F32, GgmlType::F16, GgmlType::Q8_0, GgmlType::Q4_0}) {
    const OwnedMatrix m = make_matrix(type, rows, cols, w);
    std::vector<float> out(rows), row(cols);
    std::vector<std::byte> scratch;
    matvec(out.data(), m.view, x.data(), scratch);
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
