#pragma once
// Keys and values of one sequence for every layer and position, stored in F16 like the
// reference engine's default cache (its rounding is part of the reference logits).
// Values are stored transposed, as the reference does without flash attention, so that
// each output dimension of attention is one contiguous dot product over positions.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sb::engine {

class KvCache {
 public:
  // Throws std::invalid_argument when a size is not positive.
  KvCache(int64_t n_layers, int64_t n_ctx, int64_t kv_dim);

  int64_t n_layers() const { return n_layers_; }
  int64_t n_ctx() const { return n_ctx_; }
  int64_t kv_dim() const { return kv_dim_; }

  // Rounds k[kv_dim] and v[kv_dim] to F16 and stores them at (layer, pos). Indices are
  // unchecked here: forward() checks positions.
  void store(int64_t layer, int64_t pos, const float* k, const float* v);
  // F16 key of (layer, pos): [kv_dim].
  const uint16_t* key(int64_t layer, int64_t pos) const {
    return keys_.data() + static_cast<size_t>((layer * n_ctx_ + pos) * kv_dim_);
  }
  // F16 component `dim` of the values of every position of `layer`: [n_ctx].
  const uint16_t* value_row(int64_t layer, int64_t dim) const {
    return values_.data() + static_cast<size_t>((layer * kv_dim_ + dim) * n_ctx_);
  }

 private:
  int64_t n_layers_;
  int64_t n_ctx_;
  int64_t kv_dim_;
  std::vector<uint16_t> keys_;    // [n_layers, n_ctx, kv_dim] F16
  std::vector<uint16_t> values_;  // [n_layers, kv_dim, n_ctx] F16 (transposed)
};

}  // namespace sb::engine
