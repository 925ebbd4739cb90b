// The scalar emulations of the reference's vectorized math (local_engine/simd_math.h).
#include "local_engine/simd_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>

namespace sb::engine {
namespace {

int64_t ulps_apart(float a, float b) {
  int32_t ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &b, 4);
  return std::llabs(static_cast<int64_t>(ia) - ib);
}

TEST(SimdMath, ExpIsWithinTwoUlpsOfTheTrueValueButIsNotLibm) {
  int differs_from_libm = 0;
  for (float x = -87.0f; x < 88.0f; x += 0.0137f) {
    const float truth = static_cast<float>(std::exp(static_cast<double>(x)));
    EXPECT_LE(ulps_apart(simd_expf(x), truth), 2) << x;
    if (simd_expf(x) != std::exp(x)) ++differs_from_libm;
  }
  // The reference's polynomial is off by an ulp often enough to matter downstream.
  EXPECT_GT(differs_from_libm, 100);
}

TEST(SimdMath, ExpSpecialValues) {
  EXPECT_EQ(simd_expf(0.0f), 1.0f);
  EXPECT_EQ(simd_expf(-INFINITY), 0.0f);  // masked attention cells
  EXPECT_EQ(simd_expf(-200.0f), 0.0f);
  EXPECT_EQ(simd_expf(INFINITY), INFINITY);
  EXPECT_EQ(simd_expf(200.0f), INFINITY);
  EXPECT_TRUE(std::isnan(simd_expf(NAN)));
}

TEST(SimdMath, SiluUsesTheVectorExp) {
  for (float x : {-5.0f, -1.0f, 0.5f, 3.0f})
    EXPECT_EQ(simd_silu(x), x / (1.0f + simd_expf(-x))) << x;
  EXPECT_EQ(simd_silu(0.0f), 0.0f);
}

TEST(SimdMath, ReduceAdd16AddsTheHalvesFirst) {
  // 1e8 in lane 0 and -1e8 in lane 8 cancel in the first step (upper + lower half), so
  // the 14 ones survive; adding front to back would absorb them into 1e8.
  std::array<float, kVecLanes> lanes;
  lanes.fill(1.0f);
  lanes[0] = 1e8f;
  lanes[8] = -1e8f;
  EXPECT_EQ(reduce_add16(lanes), 14.0f);
  float front_to_back = 0;
  for (float v : lanes) front_to_back += v;
  EXPECT_NE(front_to_back, 14.0f);
}

}  // namespace
}  // namespace sb::engine
