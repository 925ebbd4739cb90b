#pragma once
// Everything one sequence needs while running through a model: activation buffers for
// the current token, the KV cache of the tokens before it, and the logits. One RunState
// per sequence; a Model is shared read-only between any number of them.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "local_engine/kv_cache.h"
#include "local_engine/model_config.h"

namespace sb::engine {

struct RunState {
  // n_ctx: positions the KV cache holds (0: the model's context_length). Throws
  // std::invalid_argument for a negative n_ctx.
  RunState(const ModelConfig& config, int64_t n_ctx = 0);

  std::vector<float> x;        // [dim] residual stream
  std::vector<float> xb;       // [dim] normed input of a sub-block
  std::vector<float> xb2;      // [dim] output of a sub-block before the residual add
  std::vector<float> q;        // [n_heads * head_dim] query of the current token
  std::vector<float> k;        // [kv_dim] key of the current token (before the F16 cache)
  std::vector<float> v;        // [kv_dim] value of the current token
  std::vector<uint16_t> q_f16;    // [head_dim] one query head in F16, as dotted with the cache
  std::vector<float> att;         // [n_ctx] attention scores of one head, then weights
  std::vector<uint16_t> att_f16;  // [n_ctx] the weights in F16, as dotted with the values
  std::vector<float> att_out;  // [n_heads * head_dim] attention output, heads concatenated
  std::vector<float> hb;       // [ffn_dim] gate, then silu(gate) * up
  std::vector<float> hb2;      // [ffn_dim] up
  std::vector<float> rope;     // [n_rot] (cos, sin) pairs of the current position
  std::vector<float> logits;   // [vocab] output of the last forward()
  std::vector<std::byte> activation_scratch;  // matvec input in the weight's vec_dot_type
  KvCache kv;                  // [n_layers, n_ctx, kv_dim] keys and values
};

}  // namespace sb::engine
