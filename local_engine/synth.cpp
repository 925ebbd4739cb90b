#include "local_engine/synth.h"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "local_engine/gguf_writer.h"

namespace sb::engine {
namespace {

// splitmix64: a tiny, portable generator (std::normal_distribution is not the same
// across standard libraries, and synth files must be reproducible everywhere).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  // The splitmix64 output function: a bijective 64-bit mixer.
  static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t next() { return mix(state_ += 0x9e3779b97f4a7c15ULL); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  // Standard normal by Box-Muller; each pair of uniforms yields two normals.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform()));  // 1 - u in (0, 1]
    const double angle = 2.0 * std::numbers::pi * uniform();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

 private:
  uint64_t state_;
  double spare_ = 0;
  bool has_spare_ = false;
};

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

// How the values of one tensor are drawn: mean + stddev * normal.
struct Distribution {
  double mean;
  double stddev;
};

// llama.cpp's general.file_type for a model whose matrices are `type`.
uint32_t file_type_of(GgmlType type) {
  switch (type) {
    case GgmlType::F32: return 0;
    case GgmlType::F16: return 1;
    case GgmlType::Q4_0: return 2;
    case GgmlType::Q4_1: return 3;
    case GgmlType::Q8_0: return 7;
    case GgmlType::Q5_0: return 8;
    case GgmlType::Q5_1: return 9;
    case GgmlType::BF16: return 32;
    default: throw std::invalid_argument(std::string("unsupported weight type ") + type_traits(type).name);
  }
}

class SynthModelWriter {
 public:
  SynthModelWriter(const SynthOptions& o, const GgufFile& vocab) : o_(o), vocab_(vocab) {}

  void write(const std::filesystem::path& out) {
    const int64_t n_vocab = static_cast<int64_t>(vocab_tokens());
    const std::string a = o_.arch + ".";
    const int64_t head_dim = o_.dim / o_.heads;
    const int64_t kv_dim = head_dim * o_.kv_heads;

    w_.set("general.architecture", o_.arch);
    w_.set("general.name", o_.name);
    w_.set(a + "context_length", u32(o_.ctx));
    w_.set(a + "embedding_length", u32(o_.dim));
    w_.set(a + "block_count", u32(o_.layers));
    w_.set(a + "feed_forward_length", u32(o_.ffn));
    w_.set(a + "attention.head_count", u32(o_.heads));
    w_.set(a + "attention.head_count_kv", u32(o_.kv_heads));
    w_.set(a + "rope.dimension_count", u32(head_dim));
    w_.set(a + "attention.layer_norm_rms_epsilon", o_.rms_eps);
    w_.set(a + "rope.freq_base", o_.rope_base);
    w_.set("general.file_type", file_type_of(o_.type));
    w_.copy_kvs_with_prefix(vocab_, "tokenizer.");
    w_.set(a + "vocab_size", u32(n_vocab));

    const double matrix_scale = 1.0 / std::sqrt(static_cast<double>(o_.dim));
    matrix("token_embd.weight", o_.dim, n_vocab, {0.0, 0.5});
    vector("output_norm.weight", o_.dim, kNorm);
    if (!o_.tie_embeddings) matrix("output.weight", o_.dim, n_vocab, {0.0, matrix_scale});
    for (int64_t l = 0; l < o_.layers; ++l) {
      const std::string blk = "blk." + std::to_string(l) + ".";
      vector(blk + "attn_norm.weight", o_.dim, kNorm);
      matrix(blk + "attn_q.weight", o_.dim, o_.dim, {0.0, matrix_scale});
      matrix(blk + "attn_k.weight", o_.dim, kv_dim, {0.0, matrix_scale});
      matrix(blk + "attn_v.weight", o_.dim, kv_dim, {0.0, matrix_scale});
      if (o_.arch == "qwen2") {
        vector(blk + "attn_q.bias", o_.dim, kBias);
        vector(blk + "attn_k.bias", kv_dim, kBias);
        vector(blk + "attn_v.bias", kv_dim, kBias);
      }
      matrix(blk + "attn_output.weight", o_.dim, o_.dim, {0.0, matrix_scale});
      vector(blk + "ffn_norm.weight", o_.dim, kNorm);
      matrix(blk + "ffn_gate.weight", o_.dim, o_.ffn, {0.0, matrix_scale});
      matrix(blk + "ffn_up.weight", o_.dim, o_.ffn, {0.0, matrix_scale});
      matrix(blk + "ffn_down.weight", o_.ffn, o_.dim, {0.0, 1.0 / std::sqrt(static_cast<double>(o_.ffn))});
    }
    w_.write(out);
  }

 private:
  static constexpr Distribution kNorm{1.0, 0.1};
  static constexpr Distribution kBias{0.0, 0.1};

  static GgufValue u32(int64_t v) { return GgufValue(static_cast<uint32_t>(v)); }

  size_t vocab_tokens() const {
    const GgufValue* tokens = vocab_.find("tokenizer.ggml.tokens");
    if (tokens == nullptr || tokens->type() != GgufValueType::ARRAY || tokens->as_array().items.empty()) {
      throw std::runtime_error(vocab_.path().string() + ": no tokenizer.ggml.tokens array to copy a vocabulary from");
    }
    return tokens->as_array().items.size();
  }

  // A tensor of shape `dims` (dims[0] = row length) in `type`, generated row by row:
  // row r is drawn from its own generator seeded by (seed, name, r).
  void add(const std::string& name, std::vector<int64_t> dims, GgmlType type, Distribution dist) {
    const uint64_t tensor_seed = Random::mix(o_.seed ^ fnv1a(name));
    const FromFloatFn convert = type_traits(type).from_float;
    const int64_t cols = dims[0];
    w_.add_tensor(name, std::move(dims), type,
                  [tensor_seed, cols, dist, convert, values = std::vector<float>(static_cast<size_t>(cols))](
                      int64_t row, std::span<uint8_t> dst) mutable {
                    // values: [cols] the row in F32 before conversion to `type`
                    Random rng(Random::mix(tensor_seed ^ Random::mix(static_cast<uint64_t>(row))));
                    for (float& v : values) v = static_cast<float>(dist.mean + dist.stddev * rng.normal());
                    convert(values.data(), dst.data(), cols);
                  });
  }
  void matrix(const std::string& name, int64_t cols, int64_t rows, Distribution dist) {
    add(name, {cols, rows}, o_.type, dist);
  }
  void vector(const std::string& name, int64_t n, Distribution dist) { add(name, {n}, GgmlType::F32, dist); }

  const SynthOptions& o_;
  const GgufFile& vocab_;
  GgufWriter w_;
};

}  // namespace

void validate(const SynthOptions& o) {
  auto fail = [](const std::string& message) { throw std::invalid_argument(message); };
  if (o.arch != "llama" && o.arch != "qwen2") fail("unknown arch '" + o.arch + "' (llama or qwen2)");
  const std::pair<const char*, int64_t> sizes[] = {{"dim", o.dim},   {"layers", o.layers},
                                                   {"heads", o.heads}, {"kv-heads", o.kv_heads},
                                                   {"ffn", o.ffn},   {"ctx", o.ctx}};
  for (const auto& [name, value] : sizes) {
    if (value <= 0 || value > UINT32_MAX) fail(std::string(name) + " must be a positive 32-bit number, got " + std::to_string(value));
  }
  if (o.dim % o.heads != 0) {
    fail("dim " + std::to_string(o.dim) + " is not divisible by heads " + std::to_string(o.heads));
  }
  if (o.heads % o.kv_heads != 0) {
    fail("heads " + std::to_string(o.heads) + " is not divisible by kv-heads " + std::to_string(o.kv_heads));
  }
  if ((o.dim / o.heads) % 2 != 0) fail("head size " + std::to_string(o.dim / o.heads) + " must be even for RoPE");
  file_type_of(o.type);  // throws for unsupported types
  const int64_t block = type_traits(o.type).block_size;
  if (o.dim % block != 0 || o.ffn % block != 0) {
    fail(std::string("dim and ffn must be multiples of the ") + type_traits(o.type).name + " block size " + std::to_string(block));
  }
  if (!(o.rope_base > 0) || !(o.rms_eps > 0)) fail("rope base and rms epsilon must be positive");
}

void write_synth_model(const SynthOptions& options, const GgufFile& vocab, const std::filesystem::path& out) {
  validate(options);
  SynthModelWriter(options, vocab).write(out);
}

}  // namespace sb::engine
