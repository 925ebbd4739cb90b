#pragma once
// Generates a random-weight llama-family model as a GGUF file, with a real tokenizer
// copied from a vocab-only GGUF (e.g. ggml-vocab-llama-spm.gguf). The file uses
// llama.cpp's key and tensor names and shapes, so both this engine and the reference
// engine can load it. Weights are drawn deterministically from `seed`
// (normal * 1/sqrt(row length) for matrices, 0.5 * normal for the token embedding,
// 1 + 0.1 * normal for norms, 0.1 * normal for biases) so a forward pass stays finite
// while every weight still matters. Each row is drawn from (seed, tensor name, row), so
// the values do not depend on the weight type: an F16 model is the F32 one rounded.
// Tensors are generated row by row while writing: big shapes (TinyLlama-1.1B in F16,
// ~2.2 GB) stream to disk.
#include <cstdint>
#include <filesystem>
#include <string>

#include "local_engine/ggml_type.h"
#include "local_engine/gguf.h"

namespace sb::engine {

struct SynthOptions {
  std::string arch = "llama";  // "llama" or "qwen2" (qwen2 adds Q/K/V biases)
  int64_t dim = 256;           // embedding length
  int64_t layers = 2;          // block count
  int64_t heads = 8;           // attention heads
  int64_t kv_heads = 4;        // key/value heads (grouped-query attention)
  int64_t ffn = 768;           // feed-forward length
  int64_t ctx = 2048;          // context length
  // Matrices (token embedding included): F32, F16, BF16, or a type with a quantizer
  // (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0). Norms and biases stay F32.
  GgmlType type = GgmlType::F32;
  uint64_t seed = 42;
  float rope_base = 10000.0f;  // qwen2 models usually use 1e6
  float rms_eps = 1e-5f;
  bool tie_embeddings = false;  // true: no output.weight (the output reuses token_embd)
  std::string name = "synth";  // general.name
};

// Throws std::invalid_argument with a one-line message when the options are unusable:
// unknown arch, unsupported type, non-positive sizes, dim not divisible by heads, heads
// not divisible by kv_heads, odd head size (RoPE), dim or ffn not a multiple of the
// type's block size.
void validate(const SynthOptions& options);

// Validates, then writes the model to `out` (via a temporary file renamed at the end).
// Copies every tokenizer.* key of `vocab`; the vocabulary size is the length of its
// tokenizer.ggml.tokens. Throws std::runtime_error on a vocab without tokens or on I/O
// errors.
void write_synth_model(const SynthOptions& options, const GgufFile& vocab,
                       const std::filesystem::path& out);

}  // namespace sb::engine
