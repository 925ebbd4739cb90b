#pragma once
// Views of a model's tensors inside the mapped GGUF file, in their stored (possibly
// quantized) form: nothing is copied or dequantized at load.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "local_engine/ggml_type.h"
#include "local_engine/gguf.h"
#include "local_engine/model_config.h"

namespace sb::engine {

// A [rows x cols] matrix stored row-major in `type` (GGUF dims: ne[0] = cols, ne[1] = rows).
struct WeightMatrix {
  GgmlType type = GgmlType::F32;
  int64_t rows = 0;
  int64_t cols = 0;
  size_t row_bytes = 0;
  const std::byte* data = nullptr;  // [rows * row_bytes]

  const void* row(int64_t r) const { return data + static_cast<size_t>(r) * row_bytes; }
};

struct LayerWeights {
  const float* attn_norm = nullptr;  // [dim]
  WeightMatrix wq;                   // [n_heads * head_dim, dim]
  WeightMatrix wk;                   // [kv_dim, dim]
  WeightMatrix wv;                   // [kv_dim, dim]
  const float* bq = nullptr;         // [n_heads * head_dim], only for archs with QKV bias
  const float* bk = nullptr;         // [kv_dim]
  const float* bv = nullptr;         // [kv_dim]
  WeightMatrix wo;                   // [dim, n_heads * head_dim]
  const float* ffn_norm = nullptr;   // [dim]
  WeightMatrix w_gate;               // [ffn_dim, dim]
  WeightMatrix w_up;                 // [ffn_dim, dim]
  WeightMatrix w_down;               // [dim, ffn_dim]
};

struct ModelWeights {
  WeightMatrix token_embedding;      // [vocab, dim]; rows dequantized on lookup
  std::vector<LayerWeights> layers;  // [n_layers]
  const float* output_norm = nullptr;  // [dim]
  WeightMatrix output;               // [vocab, dim]; token_embedding when output.weight is absent
  const float* rope_freq_factors = nullptr;  // [n_rot / 2] llama3-style, or nullptr

  // Finds every tensor the config's architecture needs and checks its shape and type;
  // throws std::runtime_error naming the file and the tensor on any mismatch.
  static ModelWeights from_gguf(const GgufFile& file, const ModelConfig& config);
};

}  // namespace sb::engine
