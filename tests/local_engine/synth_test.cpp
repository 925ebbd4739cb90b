// The synthetic model generator: llama.cpp key and tensor names, shapes, the copied
// tokenizer, deterministic weights with the intended statistics, and option checks.
#include "local_engine/synth.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "local_engine/gguf.h"
#include "local_engine/gguf_writer.h"
#include "tests/support/paths.h"

namespace sb::engine {
namespace {

GgufFile vocab(const std::string& name) {
  return GgufFile::open(test::shared_dir() / "vocab" / ("ggml-vocab-" + name + ".gguf"));
}

SynthOptions small(const std::string& arch, GgmlType type) {
  SynthOptions o;
  o.arch = arch;
  o.dim = 64;
  o.layers = 2;
  o.heads = 4;
  o.kv_heads = 2;
  o.ffn = 128;
  o.ctx = 256;
  o.type = type;
  o.seed = 1234;
  return o;
}

std::vector<float> values(const GgufTensorInfo& t) {
  std::vector<float> v(static_cast<size_t>(t.n_elements()));
  type_traits(t.type).to_float(t.data, v.data(), t.n_elements());
  return v;
}

void expect_stats(const GgufTensorInfo& t, double mean, double stddev) {
  const auto v = values(t);
  double sum = 0, sum2 = 0;
  for (float x : v) {
    ASSERT_TRUE(std::isfinite(x)) << t.name;
    sum += x;
  }
  const double m = sum / v.size();
  for (float x : v) sum2 += (x - m) * (x - m);
  const double sd = std::sqrt(sum2 / v.size());
  EXPECT_NEAR(m, mean, 4 * stddev / std::sqrt(double(v.size())) + 1e-3) << t.name;
  // The sample deviation of n normals is off by about stddev / sqrt(2n).
  EXPECT_NEAR(sd, stddev, std::max(0.1, 3 / std::sqrt(2.0 * double(v.size()))) * stddev) << t.name;
}

void expect_tokenizer_copied(const GgufFile& model, const GgufFile& voc) {
  int copied = 0;
  for (const GgufKV& kv : voc.metadata()) {
    if (!kv.key.starts_with("tokenizer.")) continue;
    const GgufValue* v = model.find(kv.key);
    ASSERT_NE(v, nullptr) << kv.key;
    EXPECT_TRUE(*v == kv.value) << kv.key;
    ++copied;
  }
  EXPECT_GE(copied, 5);
  for (const GgufKV& kv : model.metadata()) {
    if (kv.key.starts_with("tokenizer.")) {
      EXPECT_NE(voc.find(kv.key), nullptr) << kv.key;
    }
  }
}

TEST(Synth, LlamaWithSentencePieceVocab) {
  test::TempDir dir;
  const GgufFile voc = vocab("llama-spm");
  const auto path = dir.path() / "llama.gguf";
  write_synth_model(small("llama", GgmlType::F16), voc, path);
  const GgufFile f = GgufFile::open(path);

  EXPECT_EQ(f.get_string("general.architecture"), "llama");
  EXPECT_EQ(f.get_u32("general.alignment"), 32u);
  EXPECT_EQ(f.get_u32("llama.embedding_length"), 64u);
  EXPECT_EQ(f.get_u32("llama.block_count"), 2u);
  EXPECT_EQ(f.get_u32("llama.attention.head_count"), 4u);
  EXPECT_EQ(f.get_u32("llama.attention.head_count_kv"), 2u);
  EXPECT_EQ(f.get_u32("llama.feed_forward_length"), 128u);
  EXPECT_EQ(f.get_u32("llama.context_length"), 256u);
  EXPECT_EQ(f.get_u32("llama.rope.dimension_count"), 16u);
  EXPECT_EQ(f.get_f32("llama.rope.freq_base"), 10000.0f);
  EXPECT_EQ(f.get_f32("llama.attention.layer_norm_rms_epsilon"), 1e-5f);
  EXPECT_EQ(f.get_u32("general.file_type"), 1u);
  EXPECT_EQ(f.get_u32("llama.vocab_size"), 32000u);
  expect_tokenizer_copied(f, voc);

  struct Expected {
    std::string name;
    std::array<int64_t, 4> ne;
    GgmlType type;
  };
  std::vector<Expected> expected = {{"token_embd.weight", {64, 32000, 1, 1}, GgmlType::F16},
                                    {"output_norm.weight", {64, 1, 1, 1}, GgmlType::F32},
                                    {"output.weight", {64, 32000, 1, 1}, GgmlType::F16}};
  for (int l = 0; l < 2; ++l) {
    const std::string b = "blk." + std::to_string(l) + ".";
    expected.push_back({b + "attn_norm.weight", {64, 1, 1, 1}, GgmlType::F32});
    expected.push_back({b + "attn_q.weight", {64, 64, 1, 1}, GgmlType::F16});
    expected.push_back({b + "attn_k.weight", {64, 32, 1, 1}, GgmlType::F16});
    expected.push_back({b + "attn_v.weight", {64, 32, 1, 1}, GgmlType::F16});
    expected.push_back({b + "attn_output.weight", {64, 64, 1, 1}, GgmlType::F16});
    expected.push_back({b + "ffn_norm.weight", {64, 1, 1, 1}, GgmlType::F32});
    expected.push_back({b + "ffn_gate.weight", {64, 128, 1, 1}, GgmlType::F16});
    expected.push_back({b + "ffn_up.weight", {64, 128, 1, 1}, GgmlType::F16});
    expected.push_back({b + "ffn_down.weight", {128, 64, 1, 1}, GgmlType::F16});
  }
  ASSERT_EQ(f.tensors().size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const GgufTensorInfo& t = f.tensors()[i];
    EXPECT_EQ(t.name, expected[i].name);
    EXPECT_EQ(t.ne, expected[i].ne) << t.name;
    EXPECT_EQ(t.type, expected[i].type) << t.name;
  }
  expect_stats(f.tensor("token_embd.weight"), 0.0, 0.5);
  expect_stats(f.tensor("output.weight"), 0.0, 0.125);
  expect_stats(f.tensor("blk.1.attn_q.weight"), 0.0, 0.125);
  expect_stats(f.tensor("blk.0.ffn_down.weight"), 0.0, 1 / std::sqrt(128.0));
  expect_stats(f.tensor("blk.0.attn_norm.weight"), 1.0, 0.1);
}

TEST(Synth, Qwen2WithGpt2VocabHasBiasesAndCanTieEmbeddings) {
  test::TempDir dir;
  const GgufFile voc = vocab("gpt-2");
  SynthOptions o = small("qwen2", GgmlType::F32);
  o.rope_base = 1e6f;
  o.tie_embeddings = true;
  const auto path = dir.path() / "qwen2.gguf";
  write_synth_model(o, voc, path);
  const GgufFile f = GgufFile::open(path);
  EXPECT_EQ(f.get_string("general.architecture"), "qwen2");
  EXPECT_EQ(f.get_u32("qwen2.embedding_length"), 64u);
  EXPECT_EQ(f.get_f32("qwen2.rope.freq_base"), 1e6f);
  EXPECT_EQ(f.get_u32("qwen2.vocab_size"), 50257u);
  EXPECT_EQ(f.get_u32("general.file_type"), 0u);
  expect_tokenizer_copied(f, voc);
  EXPECT_EQ(f.get_string("tokenizer.ggml.pre"), "gpt-2");
  EXPECT_EQ(f.get_string_array("tokenizer.ggml.merges").size(), 50000u);
  EXPECT_EQ(f.find_tensor("output.weight"), nullptr);
  EXPECT_EQ(f.tensor("token_embd.weight").ne[1], 50257);
  for (int l = 0; l < 2; ++l) {
    const std::string b = "blk." + std::to_string(l) + ".";
    EXPECT_EQ(f.tensor(b + "attn_q.bias").ne[0], 64);
    EXPECT_EQ(f.tensor(b + "attn_k.bias").ne[0], 32);
    EXPECT_EQ(f.tensor(b + "attn_v.bias").n_dims, 1u);
    EXPECT_EQ(f.tensor(b + "attn_v.bias").type, GgmlType::F32);
  }
  expect_stats(f.tensor("blk.0.attn_k.bias"), 0.0, 0.1);
}

TEST(Synth, WeightsAreDeterministicAndIndependentOfTheType) {
  test::TempDir dir;
  // stories260K's 512-token vocabulary keeps these five models small.
  const GgufFile voc = GgufFile::open(test::shared_dir() / "models" / "stories260K.gguf");
  write_synth_model(small("llama", GgmlType::F32), voc, dir.path() / "a.gguf");
  write_synth_model(small("llama", GgmlType::F32), voc, dir.path() / "b.gguf");
  write_synth_model(small("llama", GgmlType::F16), voc, dir.path() / "h.gguf");
  write_synth_model(small("llama", GgmlType::Q8_0), voc, dir.path() / "q.gguf");
  SynthOptions other = small("llama", GgmlType::F32);
  other.seed = 1235;
  write_synth_model(other, voc, dir.path() / "c.gguf");
  auto slurp = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  EXPECT_EQ(slurp(dir.path() / "a.gguf"), slurp(dir.path() / "b.gguf"));
  const GgufFile a = GgufFile::open(dir.path() / "a.gguf");
  const GgufFile h = GgufFile::open(dir.path() / "h.gguf");
  const GgufFile q = GgufFile::open(dir.path() / "q.gguf");
  const GgufFile c = GgufFile::open(dir.path() / "c.gguf");
  EXPECT_EQ(q.get_u32("general.file_type"), 7u);
  const auto wa = values(a.tensor("blk.0.ffn_up.weight"));
  const auto wh = values(h.tensor("blk.0.ffn_up.weight"));
  const auto wq = values(q.tensor("blk.0.ffn_up.weight"));
  const auto wc = values(c.tensor("blk.0.ffn_up.weight"));
  int differing = 0;
  for (size_t i = 0; i < wa.size(); ++i) {
    ASSERT_EQ(wh[i], fp16_to_fp32(fp32_to_fp16(wa[i])));
    ASSERT_NEAR(wq[i], wa[i], 0.01);
    differing += wc[i] != wa[i];
  }
  EXPECT_GT(differing, static_cast<int>(wa.size()) - 10);
  // Rows differ from each other (each row has its own stream).
  EXPECT_NE(wa[0], wa[64]);
}

TEST(Synth, ValidationNamesTheProblem) {
  const GgufFile voc = vocab("llama-spm");
  auto message = [&](const SynthOptions& o) {
    try {
      validate(o);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("(valid)");
  };
  SynthOptions o = small("llama", GgmlType::F32);
  EXPECT_EQ(message(o), "(valid)");
  o.arch = "gpt2";
  EXPECT_EQ(message(o), "unknown arch 'gpt2' (llama or qwen2)");
  o = small("llama", GgmlType::F32);
  o.dim = 66;
  EXPECT_EQ(message(o), "dim 66 is not divisible by heads 4");
  o = small("llama", GgmlType::F32);
  o.kv_heads = 3;
  EXPECT_EQ(message(o), "heads 4 is not divisible by kv-heads 3");
  o = small("llama", GgmlType::F32);
  o.layers = 0;
  EXPECT_EQ(message(o), "layers must be a positive 32-bit number, got 0");
  o = small("llama", GgmlType::F32);
  o.ffn = -5;
  EXPECT_EQ(message(o), "ffn must be a positive 32-bit number, got -5");
  o = small("llama", GgmlType::F32);
  o.dim = 12;
  o.heads = 4;
  o.kv_heads = 4;
  EXPECT_EQ(message(o), "head size 3 must be even for RoPE");
  o = small("llama", GgmlType::Q4_K);
  EXPECT_EQ(message(o), "unsupported weight type q4_K");
  o = small("llama", GgmlType::Q8_0);
  o.ffn = 100;
  EXPECT_EQ(message(o), "dim and ffn must be multiples of the q8_0 block size 32");

  test::TempDir dir;
  o.ffn = 100;
  EXPECT_THROW(write_synth_model(o, voc, dir.path() / "bad.gguf"), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "bad.gguf"));
}

TEST(Synth, NeedsAVocabularyWithTokens) {
  test::TempDir dir;
  GgufWriter w;
  w.set("general.architecture", "llama");
  w.write(dir.path() / "no_vocab.gguf");
  const GgufFile no_vocab = GgufFile::open(dir.path() / "no_vocab.gguf");
  try {
    write_synth_model(small("llama", GgmlType::F32), no_vocab, dir.path() / "out.gguf");
    FAIL() << "expected a throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no_vocab.gguf: no tokenizer.ggml.tokens array"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out.gguf"));
}

}  // namespace
}  // namespace sb::engine
