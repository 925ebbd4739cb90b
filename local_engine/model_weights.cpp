#include "local_engine/model_weights.h"

#include <array>
#include <stdexcept>
#include <string>

namespace sb::engine {
namespace {

class TensorBinder {
 public:
  explicit TensorBinder(const GgufFile& file) : file_(file) {}

  WeightMatrix matrix(const std::string& name, int64_t rows, int64_t cols) const {
    const GgufTensorInfo& t = require(name);
    expect_shape(t, {cols, rows, 1, 1});
    if (!is_computable(t.type))
      fail(name, "has type " + std::string(type_name(t.type)) + ", which this engine cannot compute with");
    return {t.type, rows, cols, t.row_bytes(), static_cast<const std::byte*>(t.data)};
  }

  const float* vector(const std::string& name, int64_t n) const {
    const GgufTensorInfo& t = require(name);
    return checked_vector(t, n);
  }

  const float* optional_vector(const std::string& name, int64_t n) const {
    const GgufTensorInfo* t = file_.find_tensor(name);
    return t ? checked_vector(*t, n) : nullptr;
  }

  bool has(const std::string& name) const { return file_.find_tensor(name) != nullptr; }

 private:
  const GgufTensorInfo& require(const std::string& name) const {
    const GgufTensorInfo* t = file_.find_tensor(name);
    if (!t) fail(name, "is missing");
    return *t;
  }

  const float* checked_vector(const GgufTensorInfo& t, int64_t n) const {
    expect_shape(t, {n, 1, 1, 1});
    if (t.type != GgmlType::F32)
      fail(t.name, "has type " + std::string(type_name(t.type)) + ", expected f32");
    return static_cast<const float*>(t.data);
  }

  void expect_shape(const GgufTensorInfo& t, std::array<int64_t, 4> ne) const {
    if (t.ne == ne) return;
    std::string dims = std::to_string(ne[0]);
    if (ne[1] != 1) dims += ", " + std::to_string(ne[1]);
    const std::string expected = "[" + dims + "]";
    fail(t.name, "has shape " + t.shape_string() + ", expected " + expected);
  }

  [[noreturn]] void fail(const std::string& name, const std::string& what) const {
    throw std::runtime_error(file_.path().string() + ": tensor '" + name + "' " + what);
  }

  const GgufFile& file_;
};

}  // namespace

ModelWeights ModelWeights::from_gguf(const GgufFile& file, const ModelConfig& c) {
  const TensorBinder bind(file);
  const int64_t q_dim = c.n_heads * c.head_dim;
  ModelWeights w;
  w.token_embedding = bind.matrix("token_embd.weight", c.vocab_size, c.dim);
  w.output_norm = bind.vector("output_norm.weight", c.dim);
  w.output = bind.has("output.weight") ? bind.matrix("output.weight", c.vocab_size, c.dim)
                                       : w.token_embedding;
  w.rope_freq_factors = bind.optional_vector("rope_freqs.weight", c.rope.n_rot / 2);
  w.layers.resize(static_cast<size_t>(c.n_layers));
  for (int64_t i = 0; i < c.n_layers; ++i) {
    const std::string index = std::to_string(i);  // (not "blk." + to_string(i): GCC 12 -Wrestrict false positive)
    const std::string p = "blk." + index + ".";
    LayerWeights& l = w.layers[static_cast<size_t>(i)];
    l.attn_norm = bind.vector(p + "attn_norm.weight", c.dim);
    l.wq = bind.matrix(p + "attn_q.weight", q_dim, c.dim);
    l.wk = bind.matrix(p + "attn_k.weight", c.kv_dim(), c.dim);
    l.wv = bind.matrix(p + "attn_v.weight", c.kv_dim(), c.dim);
    if (c.arch->attention_qkv_bias) {
      l.bq = bind.vector(p + "attn_q.bias", q_dim);
      l.bk = bind.vector(p + "attn_k.bias", c.kv_dim());
      l.bv = bind.vector(p + "attn_v.bias", c.kv_dim());
    }
    l.wo = bind.matrix(p + "attn_output.weight", c.dim, q_dim);
    l.ffn_norm = bind.vector(p + "ffn_norm.weight", c.dim);
    l.w_gate = bind.matrix(p + "ffn_gate.weight", c.ffn_dim, c.dim);
    l.w_up = bind.matrix(p + "ffn_up.weight", c.ffn_dim, c.dim);
    l.w_down = bind.matrix(p + "ffn_down.weight", c.dim, c.ffn_dim);
  }
  return w;
}

}  // namespace sb::engine
