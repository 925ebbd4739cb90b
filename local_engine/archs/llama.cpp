// Llama (1, 2, 3) and its many derivatives (Mistral, TinyLlama, SmolLM, ...).
// llama.cpp's HF converter permutes the q/k projection rows so that the "normal"
// (adjacent pairs) RoPE of ggml reproduces HF's rotate_half; the reference engine runs
// llama GGUFs with that mode.
#include "local_engine/archs/archs.h"

namespace sb::engine::archs {

const ArchSpec& llama() {
  static constexpr ArchSpec spec{
      .name = "llama",
      .rope_style = RopeStyle::Adjacent,
      .attention_qkv_bias = false,
  };
  return spec;
}

}  // namespace sb::engine::archs
