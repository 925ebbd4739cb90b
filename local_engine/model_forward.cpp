#include "local_engine/model_forward.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "local_engine/ops.h"

namespace sb::engine {
namespace {

// x[dim] += attention(rms_norm(x)) for layer l at position pos.
void attention_block(const ModelConfig& c, const LayerWeights& l, RunState& s, int64_t layer,
                     int64_t pos) {
  rms_norm(s.xb.data(), s.x.data(), l.attn_norm, c.dim, c.rms_eps);
  float* k = s.kv.key(layer, pos);
  float* v = s.kv.value(layer, pos);
  matvec(s.q.data(), l.wq, s.xb.data(), s.activation_scratch);
  matvec(k, l.wk, s.xb.data(), s.activation_scratch);
  matvec(v, l.wv, s.xb.data(), s.activation_scratch);
  if (l.bq) {
    add_in_place(s.q.data(), l.bq, c.n_heads * c.head_dim);
    add_in_place(k, l.bk, c.kv_dim());
    add_in_place(v, l.bv, c.kv_dim());
  }
  apply_rope(s.q.data(), c.n_heads, c.head_dim, s.rope.data(), c.rope);
  apply_rope(k, c.n_kv_heads, c.head_dim, s.rope.data(), c.rope);

  const float scale = 1.0f / std::sqrt(static_cast<float>(c.head_dim));
  const int64_t n_ctx = s.kv.n_ctx();
  for (int64_t h = 0; h < c.n_heads; ++h) {
    const float* qh = s.q.data() + h * c.head_dim;
    const int64_t kv_offset = (h / c.kv_group()) * c.head_dim;
    float* scores = s.att.data() + h * n_ctx;  // [pos + 1]
    for (int64_t t = 0; t <= pos; ++t) {
      const float* kt = s.kv.key(layer, t) + kv_offset;
      double dot = 0.0;
      for (int64_t i = 0; i < c.head_dim; ++i) dot += static_cast<double>(qh[i] * kt[i]);
      scores[t] = static_cast<float>(dot);
    }
    scaled_softmax_in_place(scores, pos + 1, scale);
    float* out = s.att_out.data() + h * c.head_dim;  // [head_dim]
    std::fill(out, out + c.head_dim, 0.0f);
    for (int64_t t = 0; t <= pos; ++t) {
      const float* vt = s.kv.value(layer, t) + kv_offset;
      for (int64_t i = 0; i < c.head_dim; ++i) out[i] += scores[t] * vt[i];
    }
  }
  matvec(s.xb2.data(), l.wo, s.att_out.data(), s.activation_scratch);
  add_in_place(s.x.data(), s.xb2.data(), c.dim);
}

// x[dim] += w_down · (silu(w_gate · h) * (w_up · h)), h = rms_norm(x).
void ffn_block(const ModelConfig& c, const LayerWeights& l, RunState& s) {
  rms_norm(s.xb.data(), s.x.data(), l.ffn_norm, c.dim, c.rms_eps);
  matvec(s.hb.data(), l.w_gate, s.xb.data(), s.activation_scratch);
  matvec(s.hb2.data(), l.w_up, s.xb.data(), s.activation_scratch);
  swiglu_in_place(s.hb.data(), s.hb2.data(), c.ffn_dim);
  matvec(s.xb2.data(), l.w_down, s.hb.data(), s.activation_scratch);
  add_in_place(s.x.data(), s.xb2.data(), c.dim);
}

}  // namespace

std::span<const float> forward(const Model& model, RunState& s, int32_t token, int64_t pos) {
  const ModelConfig& c = model.config();
  const ModelWeights& w = model.weights();
  if (token < 0 || token >= c.vocab_size)
    throw std::out_of_range("forward: token " + std::to_string(token) + " outside the vocabulary [0, " +
                            std::to_string(c.vocab_size) + ")");
  if (pos < 0 || pos >= s.kv.n_ctx())
    throw std::out_of_range("forward: position " + std::to_string(pos) + " outside the context [0, " +
                            std::to_string(s.kv.n_ctx()) + ")");

  dequantize_row(s.x.data(), w.token_embedding, token);
  rope_angles(s.rope.data(), c.rope, w.rope_freq_factors, pos);
  for (int64_t layer = 0; layer < c.n_layers; ++layer) {
    const LayerWeights& l = w.layers[static_cast<size_t>(layer)];
    attention_block(c, l, s, layer, pos);
    ffn_block(c, l, s);
  }
  rms_norm(s.x.data(), s.x.data(), w.output_norm, c.dim, c.rms_eps);
  matvec(s.logits.data(), w.output, s.x.data(), s.activation_scratch);
  return s.logits;
}

}  // namespace sb::engine
