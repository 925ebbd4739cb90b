#include "local_engine/model_forward.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "local_engine/ggml_type.h"
#include "local_engine/ops.h"

namespace sb::engine {
namespace {

// out[head_dim] = softmax(q·K^T / sqrt(head_dim)) · V for one query head over positions
// 0..pos of the cache, with the reference's precision: the query and the weights are
// rounded to F16 to meet the F16 cache in F16 dot products.
void attention_head(const ModelConfig& c, RunState& s, int64_t layer, int64_t pos,
                    const float* q, int64_t kv_offset, float* out) {
  const GgmlTypeTraits& f16 = type_traits(GgmlType::F16);
  f16.from_float(q, s.q_f16.data(), c.head_dim);
  for (int64_t t = 0; t <= pos; ++t)
    s.att[t] = f16.vec_dot(c.head_dim, s.kv.key(layer, t) + kv_offset, s.q_f16.data());
  scaled_softmax_in_place(s.att.data(), pos + 1, 1.0f / std::sqrt(static_cast<float>(c.head_dim)));
  f16.from_float(s.att.data(), s.att_f16.data(), pos + 1);
  for (int64_t i = 0; i < c.head_dim; ++i)
    out[i] = f16.vec_dot(pos + 1, s.kv.value_row(layer, kv_offset + i), s.att_f16.data());
}

// x[dim] += attention(rms_norm(x)) for `layer` at position `pos`.
void attention_block(const ModelConfig& c, const LayerWeights& l, RunState& s, int64_t layer,
                     int64_t pos) {
  rms_norm(s.xb.data(), s.x.data(), l.attn_norm, c.dim, c.rms_eps);
  matvec(s.q.data(), l.wq, s.xb.data(), s.activation_scratch);
  matvec(s.k.data(), l.wk, s.xb.data(), s.activation_scratch);
  matvec(s.v.data(), l.wv, s.xb.data(), s.activation_scratch);
  if (l.bq) {
    add_in_place(s.q.data(), l.bq, c.n_heads * c.head_dim);
    add_in_place(s.k.data(), l.bk, c.kv_dim());
    add_in_place(s.v.data(), l.bv, c.kv_dim());
  }
  apply_rope(s.q.data(), c.n_heads, c.head_dim, s.rope.data(), c.rope);
  apply_rope(s.k.data(), c.n_kv_heads, c.head_dim, s.rope.data(), c.rope);
  s.kv.store(layer, pos, s.k.data(), s.v.data());

  for (int64_t h = 0; h < c.n_heads; ++h) {
    const int64_t kv_offset = (h / c.kv_group()) * c.head_dim;  // grouped-query: shared kv head
    attention_head(c, s, layer, pos, s.q.data() + h * c.head_dim, kv_offset,
                   s.att_out.data() + h * c.head_dim);
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
