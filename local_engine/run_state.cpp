#include "local_engine/run_state.h"

#include <stdexcept>
#include <string>

namespace sb::engine {
namespace {

int64_t resolve_n_ctx(const ModelConfig& c, int64_t n_ctx) {
  if (n_ctx < 0) throw std::invalid_argument("run state: negative context size " + std::to_string(n_ctx));
  return n_ctx == 0 ? c.context_length : n_ctx;
}

size_t sz(int64_t n) { return static_cast<size_t>(n); }

}  // namespace

RunState::RunState(const ModelConfig& c, int64_t n_ctx)
    : x(sz(c.dim)),
      xb(sz(c.dim)),
      xb2(sz(c.dim)),
      q(sz(c.n_heads * c.head_dim)),
      k(sz(c.kv_dim())),
      v(sz(c.kv_dim())),
      q_f16(sz(c.head_dim)),
      att(sz(resolve_n_ctx(c, n_ctx))),
      att_f16(sz(resolve_n_ctx(c, n_ctx))),
      att_out(sz(c.n_heads * c.head_dim)),
      hb(sz(c.ffn_dim)),
      hb2(sz(c.ffn_dim)),
      rope(sz(c.rope.n_rot)),
      logits(sz(c.vocab_size)),
      kv(c.n_layers, resolve_n_ctx(c, n_ctx), c.kv_dim()) {}

}  // namespace sb::engine
