#include "local_engine/kv_cache.h"

#include <stdexcept>
#include <string>

namespace sb::engine {

KvCache::KvCache(int64_t n_layers, int64_t n_ctx, int64_t kv_dim)
    : n_layers_(n_layers), n_ctx_(n_ctx), kv_dim_(kv_dim) {
  if (n_layers <= 0 || n_ctx <= 0 || kv_dim <= 0)
    throw std::invalid_argument("kv cache: sizes must be positive (layers " + std::to_string(n_layers) +
                                ", context " + std::to_string(n_ctx) + ", kv dim " +
                                std::to_string(kv_dim) + ")");
  const size_t n = static_cast<size_t>(n_layers * n_ctx * kv_dim);
  keys_.assign(n, 0.0f);
  values_.assign(n, 0.0f);
}

}  // namespace sb::engine
