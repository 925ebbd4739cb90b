#pragma once
// What distinguishes one llama-family architecture from another: the value of
// `general.architecture`, the RoPE pairing and which optional tensors it has. The
// shared transformer block (model_forward.h) does the rest. Adding an architecture = one file in archs/ plus one
// line in the table of arch.cpp.
#include <string>
#include <string_view>

namespace sb::engine {

// How RoPE pairs the dimensions of a head (ggml's rope modes).
enum class RopeStyle {
  Adjacent,  // ggml "normal" mode: rotates (x[2i], x[2i+1]). llama GGUFs: convert permuted q/k.
  Neox,      // ggml NEOX mode: rotates (x[i], x[i + n_rot/2]).
};

struct ArchSpec {
  std::string_view name;        // general.architecture, also the metadata key prefix
  RopeStyle rope_style;
  bool attention_qkv_bias;      // blk.N.attn_{q,k,v}.bias present and required
};

// The spec for `general.architecture`; throws std::runtime_error listing the supported
// names when there is none.
const ArchSpec& find_arch(std::string_view name);
// "llama, qwen2" — for messages and --help texts.
std::string supported_arch_names();

}  // namespace sb::engine
