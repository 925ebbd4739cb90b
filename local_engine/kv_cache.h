#pragma once
// Keys and values of one sequence for every layer and position, F32.
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

  // [kv_dim] slots of (layer, pos); pos < n_ctx (unchecked: forward() checks positions).
  float* key(int64_t layer, int64_t pos) { return keys_.data() + offset(layer, pos); }
  float* value(int64_t layer, int64_t pos) { return values_.data() + offset(layer, pos); }
  const float* key(int64_t layer, int64_t pos) const { return keys_.data() + offset(layer, pos); }
  const float* value(int64_t layer, int64_t pos) const { return values_.data() + offset(layer, pos); }

 private:
  size_t offset(int64_t layer, int64_t pos) const {
    return static_cast<size_t>((layer * n_ctx_ + pos) * kv_dim_);
  }

  int64_t n_layers_;
  int64_t n_ctx_;
  int64_t kv_dim_;
  std::vector<float> keys_;    // [n_layers, n_ctx, kv_dim]
  std::vector<float> values_;  // [n_layers, n_ctx, kv_dim]
};

}  // namespace sb::engine
