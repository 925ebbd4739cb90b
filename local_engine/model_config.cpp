#include "local_engine/model_config.h"

#include <stdexcept>
#include <string>

namespace sb::engine {
namespace {

class ConfigReader {
 public:
  ConfigReader(const GgufFile& file, std::string_view arch) : file_(file), prefix_(arch) {}

  std::string key(std::string_view suffix) const { return prefix_ + "." + std::string(suffix); }

  int64_t positive(std::string_view suffix) const {
    const std::string k = key(suffix);
    const int64_t v = file_.get_i64(k);
    if (v <= 0) fail(k + " must be positive, got " + std::to_string(v));
    return v;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(file_.path().string() + ": " + what);
  }

  const GgufFile& file() const { return file_; }

 private:
  const GgufFile& file_;
  std::string prefix_;
};

RopeConfig read_rope(const ConfigReader& r, const ArchSpec& arch, int64_t head_dim) {
  const GgufFile& f = r.file();
  RopeConfig rope;
  rope.style = arch.rope_style;
  rope.n_rot = f.get_i64(r.key("rope.dimension_count"), head_dim);
  if (rope.n_rot <= 0 || rope.n_rot > head_dim || rope.n_rot % 2 != 0)
    r.fail(r.key("rope.dimension_count") + " " + std::to_string(rope.n_rot) +
           " must be even and in (0, head size " + std::to_string(head_dim) + "]");
  rope.freq_base = f.get_f32(r.key("rope.freq_base"), 10000.0f);
  if (!(rope.freq_base > 0.0f)) r.fail(r.key("rope.freq_base") + " must be positive");

  const std::string scaling = f.get_string(r.key("rope.scaling.type"), "none");
  const float factor = f.get_f32(r.key("rope.scaling.factor"), 0.0f);
  if (scaling == "linear") {
    if (!(factor > 0.0f)) r.fail(r.key("rope.scaling.factor") + " must be positive for linear scaling");
    rope.freq_scale = 1.0f / factor;
  } else if (scaling != "none") {
    r.fail("unsupported " + r.key("rope.scaling.type") + " '" + scaling + "' (supported: none, linear)");
  }
  return rope;
}

}  // namespace

ModelConfig ModelConfig::from_gguf(const GgufFile& file) {
  const std::string arch_name = file.get_string("general.architecture");
  ModelConfig c;
  try {
    c.arch = &find_arch(arch_name);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(file.path().string() + ": " + e.what());
  }
  const ConfigReader r(file, arch_name);
  c.dim = r.positive("embedding_length");
  c.n_layers = r.positive("block_count");
  c.n_heads = r.positive("attention.head_count");
  c.n_kv_heads = file.get_i64(r.key("attention.head_count_kv"), c.n_heads);
  c.ffn_dim = r.positive("feed_forward_length");
  c.context_length = r.positive("context_length");
  c.rms_eps = file.get_f32(r.key("attention.layer_norm_rms_epsilon"));
  if (!(c.rms_eps > 0.0f)) r.fail(r.key("attention.layer_norm_rms_epsilon") + " must be positive");

  if (c.dim % c.n_heads != 0)
    r.fail(r.key("embedding_length") + " " + std::to_string(c.dim) + " is not a multiple of " +
           r.key("attention.head_count") + " " + std::to_string(c.n_heads));
  if (c.n_kv_heads <= 0 || c.n_heads % c.n_kv_heads != 0)
    r.fail(r.key("attention.head_count") + " " + std::to_string(c.n_heads) +
           " is not a multiple of " + r.key("attention.head_count_kv") + " " +
           std::to_string(c.n_kv_heads));
  c.head_dim = c.dim / c.n_heads;
  for (const char* suffix : {"attention.key_length", "attention.value_length"}) {
    const int64_t len = file.get_i64(r.key(suffix), c.head_dim);
    if (len != c.head_dim)
      r.fail("unsupported " + r.key(suffix) + " " + std::to_string(len) +
             " (only embedding_length / head_count = " + std::to_string(c.head_dim) + ")");
  }
  c.rope = read_rope(r, *c.arch, c.head_dim);

  const GgufTensorInfo& embd = file.tensor("token_embd.weight");
  c.vocab_size = embd.ne[1];
  return c;
}

}  // namespace sb::engine
