#include "local_engine/kv_cache.h"

#include <stdexcept>
#include <string>

#include "local_engine/ggml_type.h"

namespace sb::engine {

KvCache::KvCache(int64_t n_layers, int64_t n_ctx, int64_t kv_dim)
    : n_layers_(n_layers), n_ctx_(n_ctx), kv_dim_(kv_dim) {
  if (n_layers <= 0 || n_ctx <= 0 || kv_dim <= 0)
    throw std::invalid_argument("kv cache: sizes must be positive (layers " + std::to_string(n_layers) +
                                ", context " + std::to_string(n_ctx) + ", kv dim " +
                                std::to_string(kv_dim) + ")");
  const size_t n = static_cast<size_t>(n_layers * n_ctx * kv_dim);
  keys_.assign(n, 0);
  values_.assign(n, 0);
}

void KvCache::store(int64_t layer, int64_t pos, const float* k, const float* v) {
  uint16_t* key_slot = keys_.data() + static_cast<size_t>((layer * n_ctx_ + pos) * kv_dim_);
  for (int64_t i = 0; i < kv_dim_; ++i) {
    key_slot[i] = fp32_to_fp16(k[i]);
    values_[static_cast<size_t>((layer * kv_dim_ + i) * n_ctx_ + pos)] = fp32_to_fp16(v[i]);
  }
}

}  // namespace sb::engine
