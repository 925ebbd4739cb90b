#include "local_engine/model_forward.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "local_engine/float_dot.h"
#include "local_engine/ggml_type.h"
#include "local_engine/ops.h"

namespace sb::engine {
namespace {

// Cells of the reference's KV cache that attention reads at position pos: a multiple of
// 32 (its padding without flash attention); cells past pos are masked.
int64_t padded_kv_cells(int64_t pos) {
  constexpr int64_t kPadding = 32;
  return (pos + 1 + kPadding - 1) / kPadding * kPadding;
}

// out[head_dim] = softmax(q·K^T / sqrt(head_dim)) · V for one query head over positions
// 0..pos of the cache, with the reference's precision: the query and the weights are
// rounded to F16 to meet the F16 cache in F16 dot products, summed in the order of its
// kernel for `pass`.
void attention_head(const ModelConfig& c, RunState& s, int64_t layer, int64_t pos, Pass pass,
                    const float* q, int64_t kv_offset, float* out) {
  const GgmlTypeTraits& f16 = type_traits(GgmlType::F16);
  f16.from_float(q, s.q_f16.data(), c.head_dim);
  const int64_t cells = padded_kv_cells(pos);
  // scores = K[cells x head_dim] · q; out = V^T[head_dim x cells] · weights.
  const bool gemm_scores = pass == Pass::Batch && batch_gemm_takes(cells, c.head_dim);
  for (int64_t t = 0; t <= pos; ++t) {
    const uint16_t* key = s.kv.key(layer, t) + kv_offset;
    s.att[t] = gemm_scores ? dot_f16_tiled_order(key, s.q_f16.data(), c.head_dim)
                           : dot_f16_row_order(key, s.q_f16.data(), c.head_dim, c.head_dim);
  }
  scaled_softmax_in_place(s.att.data(), pos + 1, 1.0f / std::sqrt(static_cast<float>(c.head_dim)));
  f16.from_float(s.att.data(), s.att_f16.data(), pos + 1);
  const bool gemm_values = pass == Pass::Batch && batch_gemm_takes(c.head_dim, cells);
  for (int64_t i = 0; i < c.head_dim; ++i) {
    const uint16_t* values = s.kv.value_row(layer, kv_offset + i);
    out[i] = gemm_values ? dot_f16_tiled_order(values, s.att_f16.data(), pos + 1)
                         : dot_f16_row_order(values, s.att_f16.data(), pos + 1, cells);
  }
}

// x[dim] += attention(rms_norm(x)) for `layer` at position `pos`.
void attention_block(const ModelConfig& c, const LayerWeights& l, RunState& s, int64_t layer,
                     int64_t pos, Pass pass) {
  rms_norm(s.xb.data(), s.x.data(), l.attn_norm, c.dim, c.rms_eps);
  matvec(s.q.data(), l.wq, s.xb.data(), s.activation_scratch, pass);
  matvec(s.k.data(), l.wk, s.xb.data(), s.activation_scratch, pass);
  matvec(s.v.data(), l.wv, s.xb.data(), s.activation_scratch, pass);
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
    attention_head(c, s, layer, pos, pass, s.q.data() + h * c.head_dim, kv_offset,
                   s.att_out.data() + h * c.head_dim);
  }
  matvec(s.xb2.data(), l.wo, s.att_out.data(), s.activation_scratch, pass);
  add_in_place(s.x.data(), s.xb2.data(), c.dim);
}

// x[dim] += w_down · (silu(w_gate · h) * (w_up · h)), h = rms_norm(x).
void ffn_block(const ModelConfig& c, const LayerWeights& l, RunState& s, Pass pass) {
  rms_norm(s.xb.data(), s.x.data(), l.ffn_norm, c.dim, c.rms_eps);
  matvec(s.hb.data(), l.w_gate, s.xb.data(), s.activation_scratch, pass);
  matvec(s.hb2.data(), l.w_up, s.xb.data(), s.activation_scratch, pass);
  swiglu_in_place(s.hb.data(), s.hb2.data(), c.ffn_dim);
  matvec(s.xb2.data(), l.w_down, s.hb.data(), s.activation_scratch, pass);
  add_in_place(s.x.data(), s.xb2.data(), c.dim);
}

}  // namespace

std::span<const float> forward(const Model& model, RunState& s, int32_t token, int64_t pos, Pass pass) {
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
    attention_block(c, l, s, layer, pos, pass);
    ffn_block(c, l, s, pass);
  }
  rms_norm(s.x.data(), s.x.data(), w.output_norm, c.dim, c.rms_eps);
  matvec(s.logits.data(), w.output, s.x.data(), s.activation_scratch, pass);
  return s.logits;
}

}  // namespace sb::engine
