#pragma once
// Weight and activation formats of GGUF tensors, with the ids ggml uses on disk, and a
// per-type traits table (like ggml's type_traits): block geometry, dequantize
// (to_float), quantize (from_float), the format activations are quantized to before a
// dot product (vec_dot_type), and the dot product itself (vec_dot).
//
// Contract of the kernels (all scalar reference implementations; SIMD versions must
// match them):
//   - n counts elements and must be a multiple of the type's block_size; the caller
//     guarantees it (row_size() checks it for untrusted shapes).
//   - to_float(src, dst, n): src holds n/block_size blocks of the type, dst n floats.
//   - from_float(src, dst, n): src n floats, dst n/block_size blocks. Quantizers follow
//     ggml's reference quantizers (no importance matrix), so activations quantized here
//     equal the reference engine's.
//   - vec_dot(n, w, a): w is one row of n elements in this type, a the activations
//     already converted with activation_quantizer(vec_dot_type). It returns the dot
//     product as the reference engine computes it: integer dot products of the quantized
//     values, then the block scales, summed in the order of its x86 kernels for q8_0,
//     q4_0, q4_K and q6_K (lane_sum.h), in its AVX-512 row order for f32 and f16
//     (float_dot.h), and front to back for the others.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sb::engine {

// The numeric ids are those of ggml.h / the GGUF spec; gaps are ids ggml retired.
enum class GgmlType : uint32_t {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q4_1 = 3,
  Q5_0 = 6,
  Q5_1 = 7,
  Q8_0 = 8,
  Q8_1 = 9,
  Q2_K = 10,
  Q3_K = 11,
  Q4_K = 12,
  Q5_K = 13,
  Q6_K = 14,
  Q8_K = 15,
  IQ2_XXS = 16,
  IQ2_XS = 17,
  IQ3_XXS = 18,
  IQ1_S = 19,
  IQ4_NL = 20,
  IQ3_S = 21,
  IQ2_S = 22,
  IQ4_XS = 23,
  I8 = 24,
  I16 = 25,
  I32 = 26,
  I64 = 27,
  F64 = 28,
  IQ1_M = 29,
  BF16 = 30,
  TQ1_0 = 34,
  TQ2_0 = 35,
  MXFP4 = 39,
};

using ToFloatFn = void (*)(const void* src, float* dst, int64_t n);
using FromFloatFn = void (*)(const float* src, void* dst, int64_t n);
using VecDotFn = float (*)(int64_t n, const void* weights_row, const void* activations);

struct GgmlTypeTraits {
  GgmlType type;
  const char* name;        // ggml's spelling: "f32", "q4_0", "q4_K", ...
  int64_t block_size;      // elements per block (1 for plain float/int types)
  size_t type_size;        // bytes per block
  ToFloatFn to_float;      // nullptr: known on disk, not computable by this engine
  FromFloatFn from_float;  // nullptr: no quantizer for this type
  GgmlType vec_dot_type;   // format the activations must be in for vec_dot
  VecDotFn vec_dot;        // nullptr: no dot product (e.g. activation-only formats)
  // The reference's other matrix kernels for the type, where their sums round differently
  // (ops.h's weight_dot_kernel() says when each applies); nullptr: it has none.
  VecDotFn vec_dot_tiled = nullptr;     // batch GEMM (F32, F16)
  VecDotFn vec_dot_repacked = nullptr;  // rows interleaved by 8 (Q4_0)
};

// Traits of a type id read from a file; nullptr for ids ggml does not define (the GGUF
// reader turns that into an error naming the tensor).
const GgmlTypeTraits* find_type_traits(uint32_t id);
// Traits of a known type (every enumerator has an entry).
const GgmlTypeTraits& type_traits(GgmlType type);

inline std::string_view type_name(GgmlType type) { return type_traits(type).name; }
// The type with ggml's name ("f16", "q8_0", "Q4_K" — case-insensitive); false if none.
bool parse_type_name(std::string_view name, GgmlType& out);

// How activations are converted to `vec_dot_type` before a dot product: from_float,
// except for q8_0 and q8_1, which the reference's x86 kernels quantize a little
// differently from the weight quantizers (see quantize_activations_q8_0).
FromFloatFn activation_quantizer(GgmlType vec_dot_type);

// True when to_float and vec_dot exist, i.e. the engine can compute with the type.
bool is_computable(GgmlType type);

// Bytes of a row of n elements. Throws std::runtime_error when n is negative, not a
// multiple of the block size, or the size overflows.
size_t row_size(GgmlType type, int64_t n);

// Scalar conversions. fp32_to_fp16 and fp32_to_bf16 round to nearest even (NaN stays
// NaN); the reverse conversions are exact.
float fp16_to_fp32(uint16_t h);
uint16_t fp32_to_fp16(float f);
float bf16_to_fp32(uint16_t b);
uint16_t fp32_to_bf16(float f);

}  // namespace sb::engine
