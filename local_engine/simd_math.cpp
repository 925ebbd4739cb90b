#include "local_engine/simd_math.h"

#include <cmath>

namespace sb::engine {

float simd_expf(float x) {
  constexpr float kShifter = 0x1.8p23f;  // adding it rounds to an integer
  const float z = std::fma(x, 0x1.715476p+0f, kShifter);
  const float n = z - kShifter;  // round(x * log2(e))
  // b = x - n*ln2, with ln2 split in two parts.
  const float b = std::fma(-n, 0x1.7f7d1cp-20f, std::fma(-n, 0x1.62e4p-1f, x));
  const float u = b * b;
  const float j = std::fma(std::fma(std::fma(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u,
                                    std::fma(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)),
                           u, std::fma(0x1.ffffecp-1f, b, 1.0f));
  if (std::isnan(n)) return n;
  if (std::fabs(n) > 192) return n <= 0 ? 0.0f : INFINITY;
  return std::ldexp(j, static_cast<int>(n));  // _mm512_scalef_ps: exact scaling by 2^n
}

float simd_silu(float x) { return x / (1.0f + simd_expf(0.0f - x)); }

float reduce_add16(const std::array<float, kVecLanes>& lanes) {
  std::array<float, 8> t8;
  for (int i = 0; i < 8; ++i) t8[i] = lanes[i + 8] + lanes[i];
  std::array<float, 4> t4;
  for (int i = 0; i < 4; ++i) t4[i] = t8[i + 4] + t8[i];
  return (t4[2] + t4[0]) + (t4[3] + t4[1]);
}

}  // namespace sb::engine
