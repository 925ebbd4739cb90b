// Qwen2 / Qwen2.5: llama's block plus biases on the Q, K and V projections; its
// converter does not permute q/k, so RoPE pairs dimension i with i + n_rot/2 (NEOX).
// Its files set rope.freq_base (1e6); like the reference, a missing key means 10000.
#include "local_engine/archs/archs.h"

namespace sb::engine::archs {

const ArchSpec& qwen2() {
  static constexpr ArchSpec spec{
      .name = "qwen2",
      .rope_style = RopeStyle::Neox,
      .attention_qkv_bias = true,
  };
  return spec;
}

}  // namespace sb::engine::archs
