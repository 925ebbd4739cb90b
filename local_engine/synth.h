#pragma once
// Generates a random-weight llama-family model as a GGUF file, with a real tokenizer
// copied from a vocab-only GGUF (e.g. ggml-vocab-llama-spm.gguf). The file uses
// llama.cpp's key and tensor names and shapes, so both this engine and the reference
// engine can load it. Weights are drawn deterministically from `seed`
// (normal * 1/sqrt(fan_in) for matrices, 1 for norms, small for biases) so a forward
// pass stays finite. Tensors are generated row by row while writing: big shapes
// (TinyLlama-1.1B in F16, ~2.2 GB) stream to disk.
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
  GgmlType type = GgmlType::F32;  // matrices: F32 or F16 (norms and biases stay F32)
  uint64_t seed = 42;
  float rope_base = 10000.0f;  // qwen2 models usually use 1e6
  float rms_eps = 1e-5f;
  std::string name = "synth";  // general.name
};

// Throws std::invalid_argument with a one-line message when the options are unusable:
// unknown arch or type, non-positive sizes, dim not divisible by heads, heads not
// divisible by kv_heads, odd head size (RoPE), dim not a multiple of the type's block.
void validate(const SynthOptions& options);

// Validates, then writes the model to `out` (via a temporary file renamed at the end).
// Copies every tokenizer.* key of `vocab`; the vocabulary size is the length of its
// tokenizer.ggml.tokens. Throws std::runtime_error on a vocab without tokens or on I/O
// errors.
void write_synth_model(const SynthOptions& options, const GgufFile& vocab,
                       const std::filesystem::path& out);

}  // namespace sb::engine
