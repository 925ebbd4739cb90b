#include "local_engine/ggml_type.h"

#include <array>
#include <cctype>
#include <stdexcept>
#include <string>

#include "local_engine/quant_blocks.h"
#include "local_engine/quants.h"

namespace sb::engine {
namespace {

using T = GgmlType;

// One row per GgmlType enumerator. Types this engine cannot compute with keep their
// geometry (the GGUF reader needs it to size tensors) and null kernels.
constexpr GgmlTypeTraits kTraits[] = {
    {T::F32, "f32", 1, sizeof(float), to_float_f32, from_float_f32, T::F32, vec_dot_f32,
     vec_dot_f32_tiled},
    {T::F16, "f16", 1, sizeof(uint16_t), to_float_f16, from_float_f16, T::F16, vec_dot_f16,
     vec_dot_f16_tiled},
    {T::Q4_0, "q4_0", kQK4_0, sizeof(block_q4_0), dequantize_row_q4_0, quantize_row_q4_0, T::Q8_0,
     vec_dot_q4_0_q8_0, nullptr, vec_dot_q4_0_q8_0_repacked},
    {T::Q4_1, "q4_1", kQK4_1, sizeof(block_q4_1), dequantize_row_q4_1, quantize_row_q4_1, T::Q8_1,
     vec_dot_q4_1_q8_1},
    {T::Q5_0, "q5_0", kQK5_0, sizeof(block_q5_0), dequantize_row_q5_0, quantize_row_q5_0, T::Q8_0,
     vec_dot_q5_0_q8_0},
    {T::Q5_1, "q5_1", kQK5_1, sizeof(block_q5_1), dequantize_row_q5_1, quantize_row_q5_1, T::Q8_1,
     vec_dot_q5_1_q8_1},
    {T::Q8_0, "q8_0", kQK8_0, sizeof(block_q8_0), dequantize_row_q8_0, quantize_row_q8_0, T::Q8_0,
     vec_dot_q8_0_q8_0},
    {T::Q8_1, "q8_1", kQK8_1, sizeof(block_q8_1), dequantize_row_q8_1, quantize_row_q8_1, T::Q8_1,
     nullptr},
    {T::Q2_K, "q2_K", kQK_K, sizeof(block_q2_K), dequantize_row_q2_K, nullptr, T::Q8_K,
     vec_dot_q2_K_q8_K},
    {T::Q3_K, "q3_K", kQK_K, sizeof(block_q3_K), dequantize_row_q3_K, nullptr, T::Q8_K,
     vec_dot_q3_K_q8_K},
    {T::Q4_K, "q4_K", kQK_K, sizeof(block_q4_K), dequantize_row_q4_K, nullptr, T::Q8_K,
     vec_dot_q4_K_q8_K},
    {T::Q5_K, "q5_K", kQK_K, sizeof(block_q5_K), dequantize_row_q5_K, nullptr, T::Q8_K,
     vec_dot_q5_K_q8_K},
    {T::Q6_K, "q6_K", kQK_K, sizeof(block_q6_K), dequantize_row_q6_K, nullptr, T::Q8_K,
     vec_dot_q6_K_q8_K},
    {T::Q8_K, "q8_K", kQK_K, sizeof(block_q8_K), dequantize_row_q8_K, quantize_row_q8_K, T::Q8_K,
     nullptr},
    // Known on disk, not computed here. Sizes from ggml-common.h.
    {T::IQ2_XXS, "iq2_xxs", kQK_K, 66, nullptr, nullptr, T::Q8_K, nullptr},
    {T::IQ2_XS, "iq2_xs", kQK_K, 74, nullptr, nullptr, T::Q8_K, nullptr},
    {T::IQ3_XXS, "iq3_xxs", kQK_K, 98, nullptr, nullptr, T::Q8_K, nullptr},
    {T::IQ1_S, "iq1_s", kQK_K, 50, nullptr, nullptr, T::Q8_K, nullptr},
    {T::IQ4_NL, "iq4_nl", 32, 18, nullptr, nullptr, T::Q8_0, nullptr},
    {T::IQ3_S, "iq3_s", kQK_K, 110, nullptr, nullptr, T::Q8_K, nullptr},
    {T::IQ2_S, "iq2_s", kQK_K, 82, nullptr, nullptr, T::Q8_K, nullptr},
    {T::IQ4_XS, "iq4_xs", kQK_K, 136, nullptr, nullptr, T::Q8_K, nullptr},
    {T::I8, "i8", 1, 1, nullptr, nullptr, T::I8, nullptr},
    {T::I16, "i16", 1, 2, nullptr, nullptr, T::I16, nullptr},
    {T::I32, "i32", 1, 4, nullptr, nullptr, T::I32, nullptr},
    {T::I64, "i64", 1, 8, nullptr, nullptr, T::I64, nullptr},
    {T::F64, "f64", 1, 8, nullptr, nullptr, T::F64, nullptr},
    {T::IQ1_M, "iq1_m", kQK_K, 56, nullptr, nullptr, T::Q8_K, nullptr},
    {T::BF16, "bf16", 1, sizeof(uint16_t), to_float_bf16, from_float_bf16, T::BF16, vec_dot_bf16},
    {T::TQ1_0, "tq1_0", kQK_K, 54, nullptr, nullptr, T::Q8_K, nullptr},
    {T::TQ2_0, "tq2_0", kQK_K, 66, nullptr, nullptr, T::Q8_K, nullptr},
    {T::MXFP4, "mxfp4", 32, 17, nullptr, nullptr, T::Q8_0, nullptr},
};

constexpr uint32_t kMaxId = 39;

// id -> index into kTraits, -1 for ids ggml does not define.
constexpr std::array<int, kMaxId + 1> make_index() {
  std::array<int, kMaxId + 1> index{};
  for (auto& i : index) i = -1;
  for (size_t i = 0; i < std::size(kTraits); ++i) index[static_cast<uint32_t>(kTraits[i].type)] = static_cast<int>(i);
  return index;
}
constexpr auto kIndex = make_index();

constexpr bool table_is_consistent() {
  std::array<bool, kMaxId + 1> seen{};
  for (const auto& t : kTraits) {
    const uint32_t id = static_cast<uint32_t>(t.type);
    if (id > kMaxId || seen[id] || t.block_size <= 0 || t.type_size == 0) return false;
    seen[id] = true;
  }
  return true;
}
static_assert(table_is_consistent(), "ids unique and in range, geometry positive");
static_assert(std::size(kTraits) == 32, "one entry per GgmlType enumerator");

}  // namespace

const GgmlTypeTraits* find_type_traits(uint32_t id) {
  if (id > kMaxId || kIndex[id] < 0) return nullptr;
  return &kTraits[kIndex[id]];
}

const GgmlTypeTraits& type_traits(GgmlType type) {
  const GgmlTypeTraits* traits = find_type_traits(static_cast<uint32_t>(type));
  if (traits == nullptr) {
    throw std::invalid_argument("unknown ggml type id " + std::to_string(static_cast<uint32_t>(type)));
  }
  return *traits;
}

bool parse_type_name(std::string_view name, GgmlType& out) {
  auto lower = [](std::string_view s) {
    std::string r(s);
    for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
  };
  const std::string wanted = lower(name);
  for (const auto& t : kTraits) {
    if (lower(t.name) == wanted) {
      out = t.type;
      return true;
    }
  }
  return false;
}

FromFloatFn activation_quantizer(GgmlType vec_dot_type) {
  switch (vec_dot_type) {
    case GgmlType::Q8_0: return quantize_activations_q8_0;
    case GgmlType::Q8_1: return quantize_activations_q8_1;
    default: return type_traits(vec_dot_type).from_float;
  }
}

bool is_computable(GgmlType type) {
  const GgmlTypeTraits& t = type_traits(type);
  return t.to_float != nullptr && t.vec_dot != nullptr;
}

size_t row_size(GgmlType type, int64_t n) {
  const GgmlTypeTraits& t = type_traits(type);
  if (n < 0 || n % t.block_size != 0) {
    throw std::runtime_error("row of " + std::to_string(n) + " elements is not a multiple of the " +
                             t.name + " block size " + std::to_string(t.block_size));
  }
  size_t bytes = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(n / t.block_size), t.type_size, &bytes)) {
    throw std::runtime_error("row of " + std::to_string(n) + " " + t.name + " elements overflows");
  }
  return bytes;
}

}  // namespace sb::engine
