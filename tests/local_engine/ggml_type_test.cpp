// The weight-type table and its scalar kernels: geometry, half-precision conversions,
// hand-built blocks of every computable type, quantizer round trips, vec_dot against the
// dot of dequantized values, and the real quantized tensors of the shared synth models.
#include "local_engine/ggml_type.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "local_engine/gguf.h"
#include "local_engine/quant_blocks.h"
#include "local_engine/quants.h"
#include "tests/support/paths.h"

namespace sb::engine {
namespace {

std::vector<float> normal_values(size_t n, uint32_t seed, float stddev = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, stddev);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

std::vector<float> dequantize(GgmlType type, const void* data, int64_t n) {
  std::vector<float> out(static_cast<size_t>(n));
  type_traits(type).to_float(data, out.data(), n);
  return out;
}

std::vector<uint8_t> quantize(GgmlType type, const std::vector<float>& x) {
  std::vector<uint8_t> out(row_size(type, static_cast<int64_t>(x.size())));
  type_traits(type).from_float(x.data(), out.data(), static_cast<int64_t>(x.size()));
  return out;
}

double rel_rmse(const std::vector<float>& got, const std::vector<float>& want) {
  double err = 0, mag = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    err += (got[i] - want[i]) * double(got[i] - want[i]);
    mag += want[i] * double(want[i]);
  }
  return std::sqrt(err / mag);
}

// ---------------------------------------------------------------------------------------
// The table

TEST(GgmlTypeTable, GeometryMatchesGgml) {
  struct Row {
    GgmlType type;
    uint32_t id;
    const char* name;
    int64_t block;
    size_t bytes;
    GgmlType vec_dot_type;
  };
  const Row rows[] = {
      {GgmlType::F32, 0, "f32", 1, 4, GgmlType::F32},       {GgmlType::F16, 1, "f16", 1, 2, GgmlType::F16},
      {GgmlType::Q4_0, 2, "q4_0", 32, 18, GgmlType::Q8_0},  {GgmlType::Q4_1, 3, "q4_1", 32, 20, GgmlType::Q8_1},
      {GgmlType::Q5_0, 6, "q5_0", 32, 22, GgmlType::Q8_0},  {GgmlType::Q5_1, 7, "q5_1", 32, 24, GgmlType::Q8_1},
      {GgmlType::Q8_0, 8, "q8_0", 32, 34, GgmlType::Q8_0},  {GgmlType::Q8_1, 9, "q8_1", 32, 36, GgmlType::Q8_1},
      {GgmlType::Q2_K, 10, "q2_K", 256, 84, GgmlType::Q8_K}, {GgmlType::Q3_K, 11, "q3_K", 256, 110, GgmlType::Q8_K},
      {GgmlType::Q4_K, 12, "q4_K", 256, 144, GgmlType::Q8_K}, {GgmlType::Q5_K, 13, "q5_K", 256, 176, GgmlType::Q8_K},
      {GgmlType::Q6_K, 14, "q6_K", 256, 210, GgmlType::Q8_K}, {GgmlType::Q8_K, 15, "q8_K", 256, 292, GgmlType::Q8_K},
      {GgmlType::IQ4_NL, 20, "iq4_nl", 32, 18, GgmlType::Q8_0}, {GgmlType::IQ4_XS, 23, "iq4_xs", 256, 136, GgmlType::Q8_K},
      {GgmlType::BF16, 30, "bf16", 1, 2, GgmlType::BF16},   {GgmlType::MXFP4, 39, "mxfp4", 32, 17, GgmlType::Q8_0},
  };
  for (const Row& r : rows) {
    const GgmlTypeTraits* t = find_type_traits(r.id);
    ASSERT_NE(t, nullptr) << r.name;
    EXPECT_EQ(t->type, r.type);
    EXPECT_STREQ(t->name, r.name);
    EXPECT_EQ(t->block_size, r.block) << r.name;
    EXPECT_EQ(t->type_size, r.bytes) << r.name;
    EXPECT_EQ(t->vec_dot_type, r.vec_dot_type) << r.name;
  }
  for (uint32_t retired : {4u, 5u, 31u, 32u, 33u, 36u, 37u, 38u, 40u, 1000u, 0xffffffffu}) {
    EXPECT_EQ(find_type_traits(retired), nullptr) << retired;
  }
}

TEST(GgmlTypeTable, ComputableTypesHaveKernelsAndQuantizableActivations) {
  for (GgmlType t : {GgmlType::F32, GgmlType::F16, GgmlType::BF16, GgmlType::Q4_0, GgmlType::Q4_1,
                     GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q8_0, GgmlType::Q2_K, GgmlType::Q3_K,
                     GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K}) {
    EXPECT_TRUE(is_computable(t)) << type_name(t);
    EXPECT_NE(type_traits(type_traits(t).vec_dot_type).from_float, nullptr) << type_name(t);
    EXPECT_NE(activation_quantizer(type_traits(t).vec_dot_type), nullptr) << type_name(t);
  }
  EXPECT_FALSE(is_computable(GgmlType::IQ2_XXS));
  EXPECT_FALSE(is_computable(GgmlType::Q8_K));  // activation-only format
}

TEST(GgmlTypeTable, ParsesNamesCaseInsensitively) {
  GgmlType t = GgmlType::F32;
  EXPECT_TRUE(parse_type_name("Q4_K", t));
  EXPECT_EQ(t, GgmlType::Q4_K);
  EXPECT_TRUE(parse_type_name("f16", t));
  EXPECT_EQ(t, GgmlType::F16);
  EXPECT_FALSE(parse_type_name("q4_k_m", t));
  EXPECT_FALSE(parse_type_name("", t));
}

TEST(GgmlTypeTable, RowSizeChecksBlocksAndOverflow) {
  EXPECT_EQ(row_size(GgmlType::Q4_0, 64), 36u);
  EXPECT_EQ(row_size(GgmlType::Q6_K, 512), 420u);
  EXPECT_EQ(row_size(GgmlType::F16, 3), 6u);
  EXPECT_EQ(row_size(GgmlType::F32, 0), 0u);
  try {
    row_size(GgmlType::Q4_0, 33);
    FAIL() << "expected a throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not a multiple of the q4_0 block size 32"), std::string::npos) << e.what();
  }
  EXPECT_THROW(row_size(GgmlType::F32, -4), std::runtime_error);
  // (2^63 - 1) f32 elements are 2^65 - 4 bytes.
  try {
    row_size(GgmlType::F32, std::numeric_limits<int64_t>::max());
    FAIL() << "expected a throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("overflows"), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------------------------------
// Half precision

TEST(HalfPrecision, Fp16KnownValuesAndRounding) {
  EXPECT_EQ(fp32_to_fp16(1.0f), 0x3c00);
  EXPECT_EQ(fp32_to_fp16(-2.0f), 0xc000);
  EXPECT_EQ(fp32_to_fp16(0.1f), 0x2e66);
  EXPECT_EQ(fp32_to_fp16(65504.0f), 0x7bff);
  EXPECT_EQ(fp32_to_fp16(65519.0f), 0x7bff);
  EXPECT_EQ(fp32_to_fp16(65520.0f), 0x7c00);  // halfway to 65536 rounds to even: inf
  EXPECT_EQ(fp32_to_fp16(-1e10f), 0xfc00);
  EXPECT_EQ(fp32_to_fp16(std::ldexp(1.0f, -24)), 0x0001);      // smallest subnormal
  EXPECT_EQ(fp32_to_fp16(std::ldexp(1.0f, -25)), 0x0000);      // tie -> even (0)
  EXPECT_EQ(fp32_to_fp16(std::ldexp(3.0f, -25)), 0x0002);      // 1.5 ulp tie -> 2
  EXPECT_EQ(fp32_to_fp16(1.0f + std::ldexp(1.0f, -11)), 0x3c00);  // tie -> even
  EXPECT_EQ(fp32_to_fp16(1.0f + std::ldexp(3.0f, -11)), 0x3c02);  // tie -> even (up)
  EXPECT_EQ(fp32_to_fp16(std::ldexp(1.0f, -14) * (1.0f - std::ldexp(1.0f, -12))), 0x0400);  // rounds up to min normal
  EXPECT_TRUE(std::isnan(fp16_to_fp32(fp32_to_fp16(std::numeric_limits<float>::quiet_NaN()))));
  EXPECT_EQ(fp16_to_fp32(0x0001), std::ldexp(1.0f, -24));
  EXPECT_EQ(fp16_to_fp32(0x03ff), std::ldexp(1023.0f, -24));
  EXPECT_EQ(fp16_to_fp32(0xc000), -2.0f);
  EXPECT_TRUE(std::isinf(fp16_to_fp32(0x7c00)));
}

TEST(HalfPrecision, EveryFp16AndBf16RoundTrips) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f16 = fp16_to_fp32(static_cast<uint16_t>(h));
    if (!std::isnan(f16)) {
      ASSERT_EQ(fp32_to_fp16(f16), h) << std::hex << h;
    }
    const float b16 = bf16_to_fp32(static_cast<uint16_t>(h));
    if (!std::isnan(b16)) {
      ASSERT_EQ(fp32_to_bf16(b16), h) << std::hex << h;
    }
  }
}

TEST(HalfPrecision, Bf16RoundsToNearestEven) {
  EXPECT_EQ(fp32_to_bf16(1.0f), 0x3f80);
  EXPECT_EQ(fp32_to_bf16(1.0f + std::ldexp(1.0f, -8)), 0x3f80);  // tie -> even
  EXPECT_EQ(fp32_to_bf16(1.0f + std::ldexp(3.0f, -8)), 0x3f82);  // tie -> even (up)
  EXPECT_EQ(fp32_to_bf16(1.0f + std::ldexp(5.0f, -10)), 0x3f81);
  EXPECT_TRUE(std::isnan(bf16_to_fp32(fp32_to_bf16(std::numeric_limits<float>::quiet_NaN()))));
}

// ---------------------------------------------------------------------------------------
// Hand-built blocks: the test packs known integers into ggml's layout (the inverse of
// the kernels' unpacking) and checks the dequantized values.

TEST(HandBuiltBlocks, Q4_0AndQ4_1) {
  block_q4_0 b0{};
  b0.d = fp32_to_fp16(0.5f);
  block_q4_1 b1{};
  b1.d = fp32_to_fp16(0.25f);
  b1.m = fp32_to_fp16(-2.0f);
  for (int j = 0; j < 16; ++j) b0.qs[j] = b1.qs[j] = static_cast<uint8_t>(j | ((15 - j) << 4));
  const auto x0 = dequantize(GgmlType::Q4_0, &b0, 32);
  const auto x1 = dequantize(GgmlType::Q4_1, &b1, 32);
  for (int j = 0; j < 16; ++j) {
    EXPECT_EQ(x0[j], (j - 8) * 0.5f);
    EXPECT_EQ(x0[j + 16], (7 - j) * 0.5f);
    EXPECT_EQ(x1[j], j * 0.25f - 2.0f);
    EXPECT_EQ(x1[j + 16], (15 - j) * 0.25f - 2.0f);
  }
}

TEST(HandBuiltBlocks, Q5_0AndQ5_1) {
  int q[32];
  for (int i = 0; i < 32; ++i) q[i] = (i * 7 + 3) % 32;
  block_q5_0 b0{};
  block_q5_1 b1{};
  b0.d = b1.d = fp32_to_fp16(0.125f);
  b1.m = fp32_to_fp16(1.0f);
  uint32_t qh = 0;
  for (int j = 0; j < 16; ++j) {
    b0.qs[j] = b1.qs[j] = static_cast<uint8_t>((q[j] & 15) | ((q[j + 16] & 15) << 4));
    qh |= static_cast<uint32_t>(q[j] >> 4) << j;
    qh |= static_cast<uint32_t>(q[j + 16] >> 4) << (j + 16);
  }
  std::memcpy(b0.qh, &qh, 4);
  std::memcpy(b1.qh, &qh, 4);
  const auto x0 = dequantize(GgmlType::Q5_0, &b0, 32);
  const auto x1 = dequantize(GgmlType::Q5_1, &b1, 32);
  for (int i = 0; i < 32; ++i) {
    EXPECT_EQ(x0[i], (q[i] - 16) * 0.125f) << i;
    EXPECT_EQ(x1[i], q[i] * 0.125f + 1.0f) << i;
  }
}

TEST(HandBuiltBlocks, Q8_0AndQ8_K) {
  block_q8_0 b{};
  b.d = fp32_to_fp16(0.25f);
  block_q8_K k{};
  k.d = -0.5f;
  for (int j = 0; j < 32; ++j) b.qs[j] = static_cast<int8_t>(j * 8 - 128);
  for (int j = 0; j < 256; ++j) k.qs[j] = static_cast<int8_t>(j - 128);
  const auto x = dequantize(GgmlType::Q8_0, &b, 32);
  const auto xk = dequantize(GgmlType::Q8_K, &k, 256);
  for (int j = 0; j < 32; ++j) EXPECT_EQ(x[j], (j * 8 - 128) * 0.25f);
  for (int j = 0; j < 256; ++j) EXPECT_EQ(xk[j], (j - 128) * -0.5f);
}

// Integer content of a K-quant super-block: x[i] = d * scale[i/g] * q[i] - dmin * min[i/g].
struct KBlockSpec {
  int q[256];
  int scale[16];
  int min[16];
  float d = 0.5f;
  float dmin = 0.25f;
};

KBlockSpec random_spec(uint32_t seed, int q_lo, int q_hi, int s_lo, int s_hi, int m_hi) {
  std::mt19937 rng(seed);
  KBlockSpec s;
  for (int& v : s.q) v = std::uniform_int_distribution<int>(q_lo, q_hi)(rng);
  for (int& v : s.scale) v = std::uniform_int_distribution<int>(s_lo, s_hi)(rng);
  for (int& v : s.min) v = std::uniform_int_distribution<int>(0, m_hi)(rng);
  return s;
}

void expect_dequantizes_to(GgmlType type, const void* block, const KBlockSpec& s, int group, bool has_min) {
  const auto x = dequantize(type, block, 256);
  for (int i = 0; i < 256; ++i) {
    const float dl = s.d * static_cast<float>(s.scale[i / group]);
    const float ml = has_min ? s.dmin * static_cast<float>(s.min[i / group]) : 0.0f;
    ASSERT_EQ(x[i], dl * static_cast<float>(s.q[i]) - ml) << type_name(type) << " element " << i;
  }
}

// q2_K/q3_K: element 128h + 32g + l has its 2 low bits at bit 2g of qs[32h + l].
void pack_two_bit(const int* q, uint8_t* qs) {
  for (int i = 0; i < 256; ++i) qs[32 * (i / 128) + i % 32] |= static_cast<uint8_t>((q[i] & 3) << (2 * ((i % 128) / 32)));
}

// q4_K/q5_K: 6-bit scales 0..3 and mins 0..3 in bytes 0..3 / 4..7; 4..7 split between
// the nibbles of bytes 8..11 and the top two bits of bytes 0..7.
void pack_scales_k4(const int* scale, const int* min, uint8_t* packed) {
  for (int j = 0; j < 4; ++j) {
    packed[j] = static_cast<uint8_t>(scale[j] | ((scale[j + 4] >> 4) << 6));
    packed[j + 4] = static_cast<uint8_t>(min[j] | ((min[j + 4] >> 4) << 6));
    packed[j + 8] = static_cast<uint8_t>((scale[j + 4] & 15) | ((min[j + 4] & 15) << 4));
  }
}

// q4_K/q5_K: element 64c + l (l < 32) is the low nibble of qs[32c + l], 64c + 32 + l the high.
void pack_four_bit(const int* q, uint8_t* qs) {
  for (int i = 0; i < 256; ++i) {
    const int c = i / 64, l = i % 32;
    qs[32 * c + l] |= static_cast<uint8_t>((q[i] & 15) << ((i % 64) < 32 ? 0 : 4));
  }
}

TEST(HandBuiltBlocks, Q2_K) {
  const KBlockSpec s = random_spec(1, 0, 3, 0, 15, 15);
  block_q2_K b{};
  b.d = fp32_to_fp16(s.d);
  b.dmin = fp32_to_fp16(s.dmin);
  for (int j = 0; j < 16; ++j) b.scales[j] = static_cast<uint8_t>(s.scale[j] | (s.min[j] << 4));
  pack_two_bit(s.q, b.qs);
  expect_dequantizes_to(GgmlType::Q2_K, &b, s, 16, true);
}

TEST(HandBuiltBlocks, Q3_K) {
  const KBlockSpec s = random_spec(2, -4, 3, -32, 31, 0);
  block_q3_K b{};
  b.d = fp32_to_fp16(s.d);
  int low2[256];
  for (int i = 0; i < 256; ++i) {
    const int biased = s.q[i] + 4;  // 0..7: bit 2 goes to hmask
    low2[i] = biased & 3;
    if (biased & 4) b.hmask[i % 32] |= static_cast<uint8_t>(1 << (i / 32));
  }
  pack_two_bit(low2, b.qs);
  // 16 6-bit scales (stored +32): low nibbles in bytes 0..7 (scales 8..15 in the high
  // nibbles), top 2 bits of scale k at bits 2*(k/4) of byte 8 + k%4.
  for (int k = 0; k < 16; ++k) {
    const int u = s.scale[k] + 32;
    b.scales[k % 8] |= static_cast<uint8_t>((u & 15) << (k < 8 ? 0 : 4));
    b.scales[8 + k % 4] |= static_cast<uint8_t>((u >> 4) << (2 * (k / 4)));
  }
  expect_dequantizes_to(GgmlType::Q3_K, &b, s, 16, false);
}

TEST(HandBuiltBlocks, Q4_K) {
  const KBlockSpec s = random_spec(3, 0, 15, 0, 63, 63);
  block_q4_K b{};
  b.d = fp32_to_fp16(s.d);
  b.dmin = fp32_to_fp16(s.dmin);
  pack_scales_k4(s.scale, s.min, b.scales);
  pack_four_bit(s.q, b.qs);
  expect_dequantizes_to(GgmlType::Q4_K, &b, s, 32, true);
}

TEST(HandBuiltBlocks, Q5_K) {
  const KBlockSpec s = random_spec(4, 0, 31, 0, 63, 63);
  block_q5_K b{};
  b.d = fp32_to_fp16(s.d);
  b.dmin = fp32_to_fp16(s.dmin);
  pack_scales_k4(s.scale, s.min, b.scales);
  pack_four_bit(s.q, b.qs);
  for (int i = 0; i < 256; ++i) {
    if (s.q[i] & 16) b.qh[i % 32] |= static_cast<uint8_t>(1 << (i / 32));
  }
  expect_dequantizes_to(GgmlType::Q5_K, &b, s, 32, true);
}

TEST(HandBuiltBlocks, Q6_K) {
  const KBlockSpec s = random_spec(5, -32, 31, -128, 127, 0);
  block_q6_K b{};
  b.d = fp32_to_fp16(s.d);
  for (int k = 0; k < 16; ++k) b.scales[k] = static_cast<int8_t>(s.scale[k]);
  // Element 128h + 32g + l: low nibble in ql[64h + l + 32*(g%2)] (high nibble when g >= 2),
  // top two bits at bit 2g of qh[32h + l].
  for (int i = 0; i < 256; ++i) {
    const int h = i / 128, g = (i % 128) / 32, l = i % 32;
    const int u = s.q[i] + 32;
    b.ql[64 * h + l + 32 * (g % 2)] |= static_cast<uint8_t>((u & 15) << (g < 2 ? 0 : 4));
    b.qh[32 * h + l] |= static_cast<uint8_t>((u >> 4) << (2 * g));
  }
  expect_dequantizes_to(GgmlType::Q6_K, &b, s, 16, false);
}

// ---------------------------------------------------------------------------------------
// Quantizers

TEST(Quantizers, RoundTripErrorIsWithinTheFormatsPrecision) {
  const auto x = normal_values(4096, 7);
  const std::pair<GgmlType, double> limits[] = {
      {GgmlType::F32, 0.0},    {GgmlType::F16, 1e-3},   {GgmlType::BF16, 5e-3},  {GgmlType::Q8_0, 0.01},
      {GgmlType::Q8_1, 0.01},  {GgmlType::Q8_K, 0.01},  {GgmlType::Q5_0, 0.06},  {GgmlType::Q5_1, 0.05},
      {GgmlType::Q4_0, 0.12},  {GgmlType::Q4_1, 0.1},
  };
  for (const auto& [type, limit] : limits) {
    const auto q = quantize(type, x);
    const double err = rel_rmse(dequantize(type, q.data(), 4096), x);
    EXPECT_LE(err, limit) << type_name(type);
    if (type != GgmlType::F32) {
      EXPECT_GT(err, limit / 50) << type_name(type) << " suspiciously exact";
    }
  }
}

TEST(Quantizers, Q8_0MapsTheBlockMaximumTo127) {
  std::vector<float> x(32);
  for (int i = 0; i < 32; ++i) x[i] = (i - 10) * 0.1f;  // max |x| = 2.1 at i = 31
  const auto q = quantize(GgmlType::Q8_0, x);
  const auto& b = *reinterpret_cast<const block_q8_0*>(q.data());
  EXPECT_EQ(b.d, fp32_to_fp16(2.1f / 127));
  EXPECT_EQ(b.qs[31], 127);
  EXPECT_EQ(b.qs[10], 0);
  EXPECT_EQ(b.qs[0], static_cast<int8_t>(std::round(-1.0f / (2.1f / 127))));
}

// Weights are quantized as ggml's reference quantizer writes files (x / d, halves away
// from zero), activations as its x86 kernels do before a dot product (x * 127 / amax,
// halves to even): 2.5 levels is 3 in a weight and 2 in an activation.
TEST(Quantizers, ActivationsRoundHalvesToEvenWeightsAwayFromZero) {
  std::vector<float> x(32, 0.0f);
  x[0] = 127.0f;  // d = 1
  x[1] = 2.5f;
  x[2] = -3.5f;
  for (const auto& [quantizer, expect_1, expect_2] : {std::tuple<FromFloatFn, int, int>{quantize_row_q8_0, 3, -4},
                                                      std::tuple<FromFloatFn, int, int>{quantize_activations_q8_0, 2, -4}}) {
    block_q8_0 b;
    quantizer(x.data(), &b, 32);
    EXPECT_EQ(b.qs[0], 127);
    EXPECT_EQ(b.qs[1], expect_1);
    EXPECT_EQ(b.qs[2], expect_2);
  }
  EXPECT_EQ(activation_quantizer(GgmlType::Q8_0), quantize_activations_q8_0);
  EXPECT_EQ(activation_quantizer(GgmlType::Q8_1), quantize_activations_q8_1);
  EXPECT_EQ(activation_quantizer(GgmlType::Q8_K), type_traits(GgmlType::Q8_K).from_float);
}

// Block dot products sum per lane, then the lanes pairwise (lane_sum.h): with terms whose
// sum depends on the order, the result is the lane-order sum, not the front-to-back one.
TEST(VecDot, Q8_0SumsInTheReferenceLaneOrder) {
  std::vector<block_q8_0> w(2), a(2);
  for (auto* blocks : {&w, &a})
    for (auto& b : *blocks) {
      b.d = fp32_to_fp16(1.0f);
      std::fill(std::begin(b.qs), std::end(b.qs), int8_t{0});
    }
  // Block 0 (scale 1024 * 16) puts 2^24 in lane 0; block 1 (scale 1) adds 1 to lane 0 and
  // 2 to lane 4. In lanes: lane 0 stays 2^24 (2^24 + 1 rounds to even), + lane 4 = 2^24 + 2.
  // Front to back: 2^24 + 3, which rounds to 2^24 + 4.
  w[0].d = fp32_to_fp16(1024.0f);
  a[0].d = fp32_to_fp16(16.0f);
  w[0].qs[0] = a[0].qs[0] = 32;
  w[1].qs[0] = a[1].qs[0] = 1;
  w[1].qs[16] = a[1].qs[16] = 1;
  w[1].qs[17] = a[1].qs[17] = 1;
  EXPECT_EQ(type_traits(GgmlType::Q8_0).vec_dot(64, w.data(), a.data()), 16777218.0f);
}

TEST(Quantizers, Q8_KKeepsBlockSumsAndMapsTheExtremeToMinus127) {
  auto x = normal_values(512, 11);
  x[300] = 10.0f;  // positive extreme of the second block
  const auto q = quantize(GgmlType::Q8_K, x);
  const auto* b = reinterpret_cast<const block_q8_K*>(q.data());
  EXPECT_EQ(b[1].qs[300 - 256], -127);
  EXPECT_FLOAT_EQ(b[1].d, -10.0f / 127);
  for (int blk = 0; blk < 2; ++blk) {
    for (int g = 0; g < 16; ++g) {
      int sum = 0;
      for (int i = 0; i < 16; ++i) sum += b[blk].qs[16 * g + i];
      EXPECT_EQ(b[blk].bsums[g], sum);
    }
  }
  const std::vector<float> zeros(256, 0.0f);
  const auto qz = quantize(GgmlType::Q8_K, zeros);
  const auto& z = *reinterpret_cast<const block_q8_K*>(qz.data());
  EXPECT_EQ(z.d, 0.0f);
  for (int16_t s : z.bsums) EXPECT_EQ(s, 0);
}

TEST(Quantizers, Q8_1StoresScaledSum) {
  const auto x = normal_values(64, 3);
  const auto q = quantize(GgmlType::Q8_1, x);
  const auto* b = reinterpret_cast<const block_q8_1*>(q.data());
  for (int blk = 0; blk < 2; ++blk) {
    float amax = 0;
    for (int i = 0; i < 32; ++i) amax = std::max(amax, std::fabs(x[32 * blk + i]));
    const float d = amax / 127;  // s uses the unrounded scale, d is stored rounded
    int sum = 0;
    for (int8_t v : b[blk].qs) sum += v;
    EXPECT_EQ(b[blk].d, fp32_to_fp16(d));
    EXPECT_EQ(b[blk].s, fp32_to_fp16(static_cast<float>(sum) * d));
  }
}

// ---------------------------------------------------------------------------------------
// vec_dot

// Weights of `type` for n elements: quantized normals where a quantizer exists, otherwise
// random bytes with sane fp16 super-block scales.
std::vector<uint8_t> random_weights(GgmlType type, int64_t n, uint32_t seed) {
  const GgmlTypeTraits& t = type_traits(type);
  if (t.from_float != nullptr) return quantize(type, normal_values(static_cast<size_t>(n), seed));
  std::vector<uint8_t> bytes(row_size(type, n));
  std::mt19937 rng(seed);
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
  for (int64_t blk = 0; blk < n / kQK_K; ++blk) {
    uint8_t* p = bytes.data() + blk * t.type_size;
    const uint16_t d = fp32_to_fp16(0.01f + 0.001f * static_cast<float>(blk));
    const uint16_t dmin = fp32_to_fp16(0.02f);
    switch (type) {
      case GgmlType::Q2_K: reinterpret_cast<block_q2_K*>(p)->d = d; reinterpret_cast<block_q2_K*>(p)->dmin = dmin; break;
      case GgmlType::Q3_K: reinterpret_cast<block_q3_K*>(p)->d = d; break;
      case GgmlType::Q4_K: reinterpret_cast<block_q4_K*>(p)->d = d; reinterpret_cast<block_q4_K*>(p)->dmin = dmin; break;
      case GgmlType::Q5_K: reinterpret_cast<block_q5_K*>(p)->d = d; reinterpret_cast<block_q5_K*>(p)->dmin = dmin; break;
      case GgmlType::Q6_K: reinterpret_cast<block_q6_K*>(p)->d = d; break;
      default: ADD_FAILURE() << "no random weights for " << type_name(type);
    }
  }
  return bytes;
}

// Weights with a min (q4_1, q5_1) meet q8_1 activations through s, the fp16-rounded
// d * sum(q) of each activation block, not the exact sum: sum over blocks of
// m * (s - d * sum(q)) is the part of vec_dot the dequantized dot does not see.
double q8_1_sum_rounding(GgmlType type, const void* w, const void* a, int64_t n) {
  const auto* y = static_cast<const block_q8_1*>(a);
  double extra = 0;
  for (int64_t blk = 0; blk < n / 32; ++blk) {
    const auto* block = static_cast<const uint8_t*>(w) + blk * type_traits(type).type_size;
    // q4_1 and q5_1 both start with fp16 d, fp16 m.
    const float m = fp16_to_fp32(reinterpret_cast<const block_q4_1*>(block)->m);
    int sum = 0;
    for (int8_t v : y[blk].qs) sum += v;
    extra += m * (double(fp16_to_fp32(y[blk].s)) - double(fp16_to_fp32(y[blk].d)) * sum);
  }
  return extra;
}

TEST(VecDot, EqualsTheDotOfDequantizedWeightsAndActivations) {
  constexpr int64_t n = 1024;
  for (GgmlType type : {GgmlType::F32, GgmlType::F16, GgmlType::BF16, GgmlType::Q4_0, GgmlType::Q4_1,
                        GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q8_0, GgmlType::Q2_K, GgmlType::Q3_K,
                        GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K}) {
    const GgmlTypeTraits& t = type_traits(type);
    for (uint32_t seed = 0; seed < 3; ++seed) {
      const auto w = random_weights(type, n, 100 + seed);
      const auto a = quantize(t.vec_dot_type, normal_values(n, 200 + seed));
      const auto wf = dequantize(type, w.data(), n);
      const auto af = dequantize(t.vec_dot_type, a.data(), n);
      double want = 0, scale = 0;
      for (int64_t i = 0; i < n; ++i) {
        want += double(wf[i]) * af[i];
        scale += std::fabs(double(wf[i]) * af[i]);
      }
      if (t.vec_dot_type == GgmlType::Q8_1) want += q8_1_sum_rounding(type, w.data(), a.data(), n);
      const float got = t.vec_dot(n, w.data(), a.data());
      EXPECT_NEAR(got, want, 1e-5 * scale + 1e-6) << type_name(type) << " seed " << seed;
    }
  }
}

TEST(VecDot, QuantizedDotApproximatesTheFloatDot) {
  constexpr int64_t n = 2048;
  const auto wf = normal_values(n, 1, 0.05f);
  const auto af = normal_values(n, 2);
  double exact = 0, scale = 0;
  for (int64_t i = 0; i < n; ++i) {
    exact += double(wf[i]) * af[i];
    scale += std::fabs(double(wf[i]) * af[i]);
  }
  const std::pair<GgmlType, double> limits[] = {{GgmlType::F16, 1e-3}, {GgmlType::Q8_0, 0.01}, {GgmlType::Q5_1, 0.03},
                                                 {GgmlType::Q4_0, 0.06}, {GgmlType::Q4_1, 0.06}};
  for (const auto& [type, limit] : limits) {
    const GgmlTypeTraits& t = type_traits(type);
    const auto w = quantize(type, wf);
    const auto a = quantize(t.vec_dot_type, af);
    EXPECT_NEAR(t.vec_dot(n, w.data(), a.data()), exact, limit * scale) << type_name(type);
  }
}

// ---------------------------------------------------------------------------------------
// Real tensors of the shared synth models (random weights; one file per type, all made
// from the same F32 weights by the reference quantizer).

class SharedSynthModels : public ::testing::Test {
 protected:
  static std::filesystem::path model(const std::string& suffix) {
    return test::shared_dir() / "models" / ("synth-llama-" + suffix + ".gguf");
  }
};

TEST_F(SharedSynthModels, DequantizedTensorsAreFiniteAndCloseToTheF32Weights) {
  const GgufFile ref = GgufFile::open(model("f32"));
  // Expected relative RMS error of each format on normal weights.
  const std::map<GgmlType, double> limit = {{GgmlType::F32, 0.0},   {GgmlType::F16, 5e-4}, {GgmlType::Q8_0, 0.01},
                                            {GgmlType::Q6_K, 0.025}, {GgmlType::Q4_K, 0.09}, {GgmlType::Q4_0, 0.1}};
  std::map<GgmlType, int> seen;
  for (const char* suffix : {"f16", "q4_0", "q6_k", "q4_k_m", "q8_0"}) {
    const GgufFile f = GgufFile::open(model(suffix));
    ASSERT_EQ(f.tensors().size(), ref.tensors().size());
    for (const GgufTensorInfo& t : f.tensors()) {
      const GgufTensorInfo& r = ref.tensor(t.name);
      ASSERT_EQ(t.ne, r.ne) << t.name;
      const auto got = dequantize(t.type, t.data, t.n_elements());
      const auto want = dequantize(GgmlType::F32, r.data, r.n_elements());
      double sum = 0, sum2 = 0;
      for (float v : got) {
        ASSERT_TRUE(std::isfinite(v)) << suffix << " " << t.name;
        sum += v;
        sum2 += double(v) * v;
      }
      const double mean = sum / got.size(), rms = std::sqrt(sum2 / got.size());
      if (t.name.find("norm") == std::string::npos) {
        EXPECT_LT(std::fabs(mean), 0.1 * rms) << t.name;
      }
      EXPECT_GT(rms, 0.01) << suffix << " " << t.name;
      const double err = rel_rmse(got, want);
      EXPECT_LE(err, limit.at(t.type)) << suffix << " " << t.name << " " << type_name(t.type);
      ++seen[t.type];
    }
  }
  for (GgmlType t : {GgmlType::F16, GgmlType::Q8_0, GgmlType::Q6_K, GgmlType::Q4_K, GgmlType::Q4_0}) {
    EXPECT_GT(seen[t], 0) << type_name(t);
  }
}

TEST_F(SharedSynthModels, OurQuantizersReproduceTheReferenceBytes) {
  const GgufFile ref = GgufFile::open(model("f32"));
  for (const auto& [suffix, type] : {std::pair{"f16", GgmlType::F16}, std::pair{"q8_0", GgmlType::Q8_0},
                                     std::pair{"q4_0", GgmlType::Q4_0}}) {
    const GgufFile f = GgufFile::open(model(suffix));
    int compared = 0;
    for (const GgufTensorInfo& t : f.tensors()) {
      if (t.type != type) continue;
      const GgufTensorInfo& r = ref.tensor(t.name);
      std::vector<float> x(static_cast<size_t>(r.n_elements()));
      std::memcpy(x.data(), r.data, r.n_bytes);
      const auto q = quantize(type, x);
      ASSERT_EQ(q.size(), t.n_bytes);
      EXPECT_EQ(std::memcmp(q.data(), t.data, t.n_bytes), 0) << suffix << " " << t.name;
      ++compared;
    }
    EXPECT_GT(compared, 10) << suffix;
  }
}

TEST_F(SharedSynthModels, VecDotOnRealRowsMatchesTheF32Dot) {
  const GgufFile ref = GgufFile::open(model("f32"));
  const auto act = normal_values(768, 5);
  for (const char* suffix : {"q4_0", "q6_k", "q4_k_m", "q8_0", "f16"}) {
    const GgufFile f = GgufFile::open(model(suffix));
    for (const char* name : {"blk.0.attn_q.weight", "blk.1.ffn_down.weight", "output.weight"}) {
      const GgufTensorInfo& t = f.tensor(name);
      const GgufTensorInfo& r = ref.tensor(name);
      const GgmlTypeTraits& tr = type_traits(t.type);
      const int64_t n = t.ne[0];
      const std::vector<float> a(act.begin(), act.begin() + n);
      const auto aq = quantize(tr.vec_dot_type, a);
      for (int64_t row = 0; row < t.n_rows(); row += 37) {
        const auto* w = static_cast<const uint8_t*>(t.data) + row * t.row_bytes();
        const auto* wf = static_cast<const float*>(r.data) + row * n;
        double exact = 0, scale = 0;
        for (int64_t i = 0; i < n; ++i) {
          exact += double(wf[i]) * a[i];
          scale += std::fabs(double(wf[i]) * a[i]);
        }
        EXPECT_NEAR(tr.vec_dot(n, w, aq.data()), exact, 0.08 * scale) << suffix << " " << name << " row " << row;
      }
    }
  }
}

}  // namespace
}  // namespace sb::engine
