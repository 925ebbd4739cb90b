#include "local_engine/model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "local_engine/gguf_writer.h"
#include "local_engine/kv_cache.h"
#include "local_engine/model_forward.h"
#include "local_engine/run_state.h"
#include "tests/support/paths.h"

namespace sb::engine {
namespace {

std::filesystem::path model_path(const std::string& stem) {
  return test::shared_dir() / "models" / (stem + ".gguf");
}

// stories260K copied into a new file with one change.
struct Variant {
  std::vector<std::pair<std::string, GgufValue>> set_kv;  // replaced or added
  std::string drop_tensor;
  std::string halve_tensor;  // written with half its rows
};

Variant with_kv(std::vector<std::pair<std::string, GgufValue>> kv) {
  Variant v;
  v.set_kv = std::move(kv);
  return v;
}
Variant without_tensor(std::string name) {
  Variant v;
  v.drop_tensor = std::move(name);
  return v;
}
Variant with_half_tensor(std::string name) {
  Variant v;
  v.halve_tensor = std::move(name);
  return v;
}

std::filesystem::path write_variant(const test::TempDir& dir, const Variant& v) {
  const GgufFile src = GgufFile::open(model_path("stories260K"));
  GgufWriter w;
  for (const auto& kv : src.metadata()) {
    if (kv.key == "general.alignment") continue;
    auto it = std::find_if(v.set_kv.begin(), v.set_kv.end(),
                           [&](const auto& o) { return o.first == kv.key; });
    w.set(kv.key, it == v.set_kv.end() ? kv.value : it->second);
  }
  for (const auto& [key, value] : v.set_kv)
    if (!src.find(key)) w.set(key, value);
  for (const auto& t : src.tensors()) {
    if (t.name == v.drop_tensor) continue;
    std::vector<int64_t> dims(t.ne.begin(), t.ne.begin() + t.n_dims);
    uint64_t n_bytes = t.n_bytes;
    if (t.name == v.halve_tensor) {
      dims[1] /= 2;
      n_bytes /= 2;
    }
    w.add_tensor(t.name, dims, t.type, {static_cast<const uint8_t*>(t.data), n_bytes});
  }
  const auto path = dir.path() / "variant.gguf";
  w.write(path);
  return path;
}

std::string load_error(const std::filesystem::path& path) {
  try {
    Model::load(path);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ModelConfig, ReadsLlamaHyperparametersFromMetadata) {
  const Model model = Model::load(model_path("stories260K"));
  const ModelConfig& c = model.config();
  EXPECT_EQ(c.arch->name, "llama");
  EXPECT_EQ(c.dim, 64);
  EXPECT_EQ(c.n_layers, 5);
  EXPECT_EQ(c.n_heads, 8);
  EXPECT_EQ(c.n_kv_heads, 4);
  EXPECT_EQ(c.head_dim, 8);
  EXPECT_EQ(c.kv_dim(), 32);
  EXPECT_EQ(c.ffn_dim, 172);
  EXPECT_EQ(c.vocab_size, 512);
  EXPECT_EQ(c.context_length, 2048);
  EXPECT_FLOAT_EQ(c.rms_eps, 1e-5f);
  EXPECT_EQ(c.rope.style, RopeStyle::Adjacent);
  EXPECT_EQ(c.rope.n_rot, 8);
  EXPECT_FLOAT_EQ(c.rope.freq_base, 10000.0f);  // key absent: the reference's default
  EXPECT_FLOAT_EQ(c.rope.freq_scale, 1.0f);
  EXPECT_EQ(model.weights().layers.size(), 5u);
  EXPECT_NE(model.weights().output.data, model.weights().token_embedding.data);
}

TEST(ModelConfig, Qwen2HasNeoxRopeBiasesAndTiedOutput) {
  const Model model = Model::load(model_path("synth-qwen2-f32"));
  const ModelConfig& c = model.config();
  EXPECT_EQ(c.arch->name, "qwen2");
  EXPECT_EQ(c.rope.style, RopeStyle::Neox);
  EXPECT_FLOAT_EQ(c.rope.freq_base, 1e6f);
  EXPECT_EQ(c.vocab_size, 50257);
  const ModelWeights& w = model.weights();
  EXPECT_NE(w.layers[0].bq, nullptr);
  EXPECT_NE(w.layers[0].bk, nullptr);
  EXPECT_NE(w.layers[0].bv, nullptr);
  EXPECT_EQ(w.output.data, w.token_embedding.data);  // no output.weight in the file
}

TEST(ModelWeights, KeepQuantizedTensorsInPlace) {
  const Model model = Model::load(model_path("synth-llama-q4_k_m"));
  const ModelWeights& w = model.weights();
  EXPECT_EQ(w.layers[0].wq.type, GgmlType::Q4_K);
  EXPECT_EQ(w.output.type, GgmlType::Q6_K);
  EXPECT_EQ(w.layers[0].wq.row_bytes, row_size(GgmlType::Q4_K, 256));
  const GgufTensorInfo& q = model.file().tensor("blk.0.attn_q.weight");
  EXPECT_EQ(static_cast<const void*>(w.layers[0].wq.data), q.data);  // a view, not a copy
}

TEST(ModelLoad, RejectsUnsupportedArchitecture) {
  test::TempDir dir;
  const auto path = write_variant(dir, with_kv({{"general.architecture", GgufValue("mamba")}}));
  EXPECT_EQ(load_error(path),
            path.string() + ": unsupported architecture 'mamba' (supported: llama, qwen2)");
}

TEST(ModelLoad, RejectsMissingTensor) {
  test::TempDir dir;
  const auto path = write_variant(dir, without_tensor("blk.3.ffn_up.weight"));
  EXPECT_EQ(load_error(path), path.string() + ": tensor 'blk.3.ffn_up.weight' is missing");
}

TEST(ModelLoad, RejectsMisshapenTensor) {
  test::TempDir dir;
  const auto path = write_variant(dir, with_half_tensor("blk.0.attn_k.weight"));
  EXPECT_EQ(load_error(path), path.string() +
                                  ": tensor 'blk.0.attn_k.weight' has shape [64, 16], expected [64, 32]");
}

TEST(ModelLoad, RejectsInconsistentHeads) {
  test::TempDir dir;
  const auto path =
      write_variant(dir, with_kv({{"llama.attention.head_count_kv", GgufValue(uint32_t{3})}}));
  EXPECT_EQ(load_error(path), path.string() +
                                  ": llama.attention.head_count 8 is not a multiple of "
                                  "llama.attention.head_count_kv 3");
}

TEST(ModelLoad, ReadsLinearRopeScalingAndRejectsOthers) {
  test::TempDir dir;
  const auto linear = write_variant(dir, with_kv({{"llama.rope.scaling.type", GgufValue("linear")},
                                                     {"llama.rope.scaling.factor", GgufValue(4.0f)}}));
  EXPECT_FLOAT_EQ(Model::load(linear).config().rope.freq_scale, 0.25f);
  const auto yarn = write_variant(dir, with_kv({{"llama.rope.scaling.type", GgufValue("yarn")}}));
  EXPECT_EQ(load_error(yarn), yarn.string() +
                                  ": unsupported llama.rope.scaling.type 'yarn' (supported: none, linear)");
}

TEST(Forward, RejectsTokensAndPositionsOutOfRange) {
  const Model model = Model::load(model_path("stories260K"));
  RunState state(model.config(), 4);
  EXPECT_THROW(forward(model, state, 512, 0), std::out_of_range);
  EXPECT_THROW(forward(model, state, -1, 0), std::out_of_range);
  EXPECT_THROW(forward(model, state, 1, 4), std::out_of_range);
  try {
    forward(model, state, 1, 4);
  } catch (const std::out_of_range& e) {
    EXPECT_STREQ(e.what(), "forward: position 4 outside the context [0, 4)");
  }
}

TEST(Forward, RerunningAPositionReproducesItsLogits) {
  const Model model = Model::load(model_path("stories260K"));
  RunState state(model.config(), 8);
  forward(model, state, 1, 0);
  forward(model, state, 403, 1);
  const std::vector<float> first = state.logits;
  forward(model, state, 300, 1);  // overwrite position 1
  forward(model, state, 403, 1);
  const std::vector<float> again = state.logits;
  EXPECT_EQ(first, again);
}

TEST(KvCache, StoresKeysByPositionAndValuesTransposedInF16) {
  KvCache cache(2, 3, 2);
  const float k[2] = {1.0f, 0.1f}, v[2] = {-2.0f, 3.0f};
  cache.store(1, 2, k, v);
  EXPECT_EQ(fp16_to_fp32(cache.key(1, 2)[0]), 1.0f);
  EXPECT_EQ(fp16_to_fp32(cache.key(1, 2)[1]), fp16_to_fp32(fp32_to_fp16(0.1f)));
  EXPECT_EQ(fp16_to_fp32(cache.value_row(1, 0)[2]), -2.0f);
  EXPECT_EQ(fp16_to_fp32(cache.value_row(1, 1)[2]), 3.0f);
  EXPECT_EQ(fp16_to_fp32(cache.value_row(0, 1)[2]), 0.0f);  // other layer untouched
  EXPECT_THROW(KvCache(0, 3, 2), std::invalid_argument);
}

}  // namespace
}  // namespace sb::engine
