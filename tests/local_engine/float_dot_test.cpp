// The reference's F32/F16 summation orders (local_engine/float_dot.h): inputs built so
// that each order gives a different, exactly known float.
#include "local_engine/float_dot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "local_engine/ggml_type.h"

namespace sb::engine {
namespace {

// Elements 0, 16, 32, 48 (lane 0 of each 16) are 1e8, 1, -1e8, 1; y is all ones.
std::vector<float> lane_zero_pattern() {
  std::vector<float> x(64, 0.0f);
  x[0] = 1e8f;
  x[16] = 1.0f;
  x[32] = -1e8f;
  x[48] = 1.0f;
  return x;
}

TEST(FloatDot, RowOrderFoldsAccumulatorsZeroWithTwoAndOneWithThree) {
  const std::vector<float> x = lane_zero_pattern(), y(64, 1.0f);
  // (1e8 + -1e8) + (1 + 1)
  EXPECT_EQ(dot_f32_row_order(x.data(), y.data(), 64), 2.0f);
}

TEST(FloatDot, TiledOrderChainsEachLane) {
  const std::vector<float> x = lane_zero_pattern(), y(64, 1.0f);
  // ((1e8 + 1) + -1e8) + 1: the first 1 is lost in 1e8.
  EXPECT_EQ(dot_f32_tiled_order(x.data(), y.data(), 64), 1.0f);
}

// -1 at element 0, a*a at element 64 (the first element after the steps of 64): with
// a = 1 + 2^-12, a*a = 1 + 2^-11 + 2^-24 is not a float, so the sum shows whether the
// product was rounded (2^-11) or fused (2^-11 + 2^-24).
TEST(FloatDot, F32TailRoundsProductsInGroupsOfEightAndFusesTheRest) {
  const float a = 1.0f + 0x1p-12f;
  for (const int64_t n : {72, 65}) {  // element 64 in a whole group of 8, or in the last n % 8
    std::vector<float> x(static_cast<size_t>(n), 0.0f), y(static_cast<size_t>(n), 0.0f);
    x[0] = -1.0f;
    y[0] = 1.0f;
    x[64] = y[64] = a;
    EXPECT_EQ(dot_f32_row_order(x.data(), y.data(), n), n == 72 ? 0x1p-11f : 0x1p-11f + 0x1p-24f) << n;
  }
}

std::vector<uint16_t> halves(const std::vector<float>& v) {
  std::vector<uint16_t> h;
  for (float f : v) h.push_back(fp32_to_fp16(f));
  return h;
}

TEST(FloatDot, F16TailIsSummedInDouble) {
  // 2^25 + 1 - 2^25: a float sum loses the 1, the double tail keeps it.
  const auto x = halves({4096, 1, -4096}), y = halves({8192, 1, 8192});
  EXPECT_EQ(dot_f16_row_order(x.data(), y.data(), 3, 3), 1.0f);
}

TEST(FloatDot, F16PaddedRowsPutEveryElementInRegisters) {
  std::vector<float> xv(40, 0.0f), yv(40, 1.0f);
  xv[0] = 4096;
  xv[16] = -4096;
  xv[32] = 1.0f / 8192;  // times 8192 below: 1
  for (float& v : yv) v = 8192;
  const auto x = halves(xv), y = halves(yv);
  // As 40 elements, all are the tail (double): exactly 1. Padded to 64 they fill one
  // step: accumulator 0 + 2 = 2^25 + 1 = 2^25 in float, plus accumulator 1's -2^25: 0.
  EXPECT_EQ(dot_f16_row_order(x.data(), y.data(), 40, 40), 1.0f);
  EXPECT_EQ(dot_f16_row_order(x.data(), y.data(), 40, 64), 0.0f);
}

TEST(FloatDot, AllOrdersAgreeWithTheExactSumOnBenignInputs) {
  std::vector<float> x(200), y(200);
  double exact = 0;
  for (int i = 0; i < 200; ++i) {
    x[i] = std::sin(0.1f * i);
    y[i] = std::cos(0.07f * i);
    exact += static_cast<double>(x[i]) * y[i];
  }
  EXPECT_NEAR(dot_f32_row_order(x.data(), y.data(), 200), exact, 1e-4);
  EXPECT_NEAR(dot_f32_tiled_order(x.data(), y.data(), 200), exact, 1e-4);
}

}  // namespace
}  // namespace sb::engine
