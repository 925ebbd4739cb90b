#pragma once
// Hyperparameters of a llama-family model, read from GGUF metadata the way the reference
// engine reads them (keys prefixed by general.architecture, same defaults).
#include <cstdint>

#include "local_engine/arch.h"
#include "local_engine/gguf.h"

namespace sb::engine {

struct RopeConfig {
  RopeStyle style = RopeStyle::Adjacent;
  int64_t n_rot = 0;          // rotated dims per head ({arch}.rope.dimension_count), even
  float freq_base = 10000.0f; // {arch}.rope.freq_base
  float freq_scale = 1.0f;    // 1 / {arch}.rope.scaling.factor for "linear" scaling
};

struct ModelConfig {
  const ArchSpec* arch = nullptr;
  int64_t dim = 0;             // {arch}.embedding_length
  int64_t n_layers = 0;        // {arch}.block_count
  int64_t n_heads = 0;         // {arch}.attention.head_count
  int64_t n_kv_heads = 0;      // {arch}.attention.head_count_kv (default n_heads)
  int64_t head_dim = 0;        // dim / n_heads
  int64_t ffn_dim = 0;         // {arch}.feed_forward_length
  int64_t vocab_size = 0;      // rows of token_embd.weight
  int64_t context_length = 0;  // {arch}.context_length (trained context)
  float rms_eps = 1e-5f;       // {arch}.attention.layer_norm_rms_epsilon
  RopeConfig rope;

  int64_t kv_dim() const { return n_kv_heads * head_dim; }
  int64_t kv_group() const { return n_heads / n_kv_heads; }  // query heads per kv head

  // Reads and checks the hyperparameters; throws std::runtime_error naming the file and
  // the key or inconsistency (e.g. "m.gguf: llama.embedding_length 100 is not a multiple
  // of llama.attention.head_count 8"), also for unsupported architectures and rope
  // scaling types.
  static ModelConfig from_gguf(const GgufFile& file);
};

}  // namespace sb::engine
