// GgufFile and GgufWriter on valid files: every metadata type round-trips, tensors keep
// their shape, type and bytes, typed getters convert or fail naming the key, and every
// shared model and vocab file loads.
#include "local_engine/gguf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>

#include "local_engine/gguf_writer.h"
#include "tests/support/paths.h"

namespace sb::engine {
namespace {

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}

GgufValue nested_array() {
  GgufArray inner1{GgufValueType::INT32, {GgufValue(int32_t{1}), GgufValue(int32_t{-2})}};
  GgufArray inner2{GgufValueType::INT32, {}};
  GgufArray strings{GgufValueType::STRING, {GgufValue("x")}};
  GgufArray outer{GgufValueType::ARRAY, {GgufValue(inner1), GgufValue(inner2), GgufValue(strings)}};
  return GgufValue(outer);
}

std::vector<GgufKV> every_type() {
  return {
      {"t.u8", GgufValue(uint8_t{200})},
      {"t.i8", GgufValue(int8_t{-100})},
      {"t.u16", GgufValue(uint16_t{65000})},
      {"t.i16", GgufValue(int16_t{-32000})},
      {"t.u32", GgufValue(uint32_t{4000000000u})},
      {"t.i32", GgufValue(int32_t{-2000000000})},
      {"t.u64", GgufValue(uint64_t{18000000000000000000ull})},
      {"t.i64", GgufValue(int64_t{-9000000000000000000ll})},
      {"t.f32", GgufValue(1.5f)},
      {"t.f64", GgufValue(-2.25e300)},
      {"t.true", GgufValue(true)},
      {"t.false", GgufValue(false)},
      {"t.string", GgufValue(std::string("h\xc3\xa9llo\0world", 12))},
      {"t.empty_string", GgufValue("")},
      {"t.strings", GgufValue::string_array({"a", "", "\xe2\x96\x81the"})},
      {"t.f32s", GgufValue::f32_array({0.5f, -1.0f, 3.25f})},
      {"t.i32s", GgufValue::i32_array({1, -2, 2147483647})},
      {"t.u8s", GgufValue(GgufArray{GgufValueType::UINT8, {GgufValue(uint8_t{1}), GgufValue(uint8_t{255})}})},
      {"t.u64s", GgufValue(GgufArray{GgufValueType::UINT64, {GgufValue(uint64_t{1} << 63)}})},
      {"t.bools", GgufValue(GgufArray{GgufValueType::BOOL, {GgufValue(true), GgufValue(false)}})},
      {"t.f64s", GgufValue(GgufArray{GgufValueType::FLOAT64, {GgufValue(0.1)}})},
      {"t.empty_array", GgufValue(GgufArray{GgufValueType::UINT16, {}})},
      {"t.nested", nested_array()},
  };
}

TEST(GgufRoundTrip, EveryMetadataTypeReadsBackEqual) {
  test::TempDir dir;
  GgufWriter w;
  for (const GgufKV& kv : every_type()) w.set(kv.key, kv.value);
  const auto path = dir.path() / "types.gguf";
  w.write(path);
  EXPECT_EQ(std::filesystem::file_size(path), w.file_size());

  const GgufFile f = GgufFile::open(path);
  EXPECT_EQ(f.version(), 3u);
  EXPECT_EQ(f.alignment(), 32u);
  ASSERT_EQ(f.metadata().size(), every_type().size() + 1);  // + general.alignment
  EXPECT_EQ(f.metadata()[0].key, "general.alignment");
  for (const GgufKV& kv : every_type()) {
    const GgufValue* v = f.find(kv.key);
    ASSERT_NE(v, nullptr) << kv.key;
    EXPECT_EQ(v->type(), kv.value.type()) << kv.key;
    EXPECT_TRUE(*v == kv.value) << kv.key << " = " << v->to_display_string();
  }
  const GgufArray& nested = f.find("t.nested")->as_array();
  ASSERT_EQ(nested.elem_type, GgufValueType::ARRAY);
  ASSERT_EQ(nested.items.size(), 3u);
  EXPECT_EQ(nested.items[0].as_array().items[1].as_i64(), -2);
  EXPECT_TRUE(nested.items[1].as_array().items.empty());
  EXPECT_EQ(nested.items[2].as_array().items[0].as_string(), "x");
  EXPECT_EQ(f.get_string("t.string").size(), 12u);
  EXPECT_EQ(f.get_string_array("t.strings")[2], "\xe2\x96\x81the");
}

TEST(GgufRoundTrip, TypedGettersConvertAndFailNamingFileAndKey) {
  test::TempDir dir;
  GgufWriter w;
  for (const GgufKV& kv : every_type()) w.set(kv.key, kv.value);
  w.set("t.negative", GgufValue(int32_t{-1}));
  w.set("t.small_i32", GgufValue(int32_t{7}));
  w.set("t.big_u32s", GgufValue(GgufArray{GgufValueType::UINT32, {GgufValue(uint32_t{3000000000u})}}));
  const auto path = dir.path() / "getters.gguf";
  w.write(path);
  const GgufFile f = GgufFile::open(path);

  EXPECT_EQ(f.get_u32("t.u8"), 200u);
  EXPECT_EQ(f.get_u32("t.small_i32"), 7u);
  EXPECT_EQ(f.get_i64("t.i64"), -9000000000000000000ll);
  EXPECT_EQ(f.get_i64("t.u16"), 65000);
  EXPECT_EQ(f.get_f32("t.f32"), 1.5f);
  EXPECT_TRUE(f.get_bool("t.true"));
  EXPECT_FALSE(f.get_bool("t.false"));
  EXPECT_EQ(f.get_f32_array("t.f32s"), (std::vector<float>{0.5f, -1.0f, 3.25f}));
  EXPECT_EQ(f.get_i32_array("t.i32s"), (std::vector<int32_t>{1, -2, 2147483647}));
  EXPECT_EQ(f.get_i32_array("t.u8s"), (std::vector<int32_t>{1, 255}));
  EXPECT_EQ(f.get_string_array("t.strings").size(), 3u);
  // Fallbacks apply only to missing keys.
  EXPECT_EQ(f.get_u32("t.missing", 9u), 9u);
  EXPECT_EQ(f.get_f32("t.missing", 0.25f), 0.25f);
  EXPECT_EQ(f.get_string("t.missing", "dflt"), "dflt");
  EXPECT_FALSE(f.get_bool("t.missing", false));
  EXPECT_EQ(f.get_i32_array("t.missing", {4}), std::vector<int32_t>{4});
  EXPECT_THROW(f.get_u32("t.string", 1u), std::runtime_error);

  const std::string file = path.string();
  struct Case {
    std::function<void()> call;
    std::string phrase;
  };
  const Case cases[] = {
      {[&] { f.get_u32("t.missing"); }, "missing key 't.missing'"},
      {[&] { f.get_u32("t.string"); }, "key 't.string': expected an integer, got string"},
      {[&] { f.get_u32("t.negative"); }, "key 't.negative': value -1 is negative"},
      {[&] { f.get_u32("t.u64"); }, "key 't.u64': value 18000000000000000000 does not fit in uint32"},
      {[&] { f.get_i64("t.u64"); }, "does not fit in int64"},
      {[&] { f.get_f32("t.u32"); }, "key 't.u32': expected a float, got uint32"},
      {[&] { f.get_bool("t.u8"); }, "expected bool, got uint8"},
      {[&] { f.get_string("t.f32s"); }, "expected string, got array"},
      {[&] { f.get_string_array("t.f32s"); }, "expected an array of string, got an array of float32"},
      {[&] { f.get_f32_array("t.i32s"); }, "expected an array of float, got an array of int32"},
      {[&] { f.get_i32_array("t.big_u32s"); }, "array value 3000000000 does not fit in int32"},
      {[&] { f.get_i32_array("t.bools"); }, "expected an array of integer, got an array of bool"},
      {[&] { f.tensor("nope"); }, "missing tensor 'nope'"},
  };
  for (const Case& c : cases) {
    const std::string message = error_of(c.call);
    EXPECT_NE(message.find(file), std::string::npos) << message;
    EXPECT_NE(message.find(c.phrase), std::string::npos) << message;
  }
}

TEST(GgufRoundTrip, TensorsKeepShapeTypeAndBytesAtTheAlignment) {
  test::TempDir dir;
  GgufWriter w(64);
  std::vector<float> a(8 * 3);
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>(i) - 4.5f;
  std::vector<uint8_t> q(2 * 18);  // two q4_0 blocks
  for (size_t i = 0; i < q.size(); ++i) q[i] = static_cast<uint8_t>(i * 7);
  w.add_f32_tensor("a", {8, 3}, a);
  w.add_tensor("q", {32, 2}, GgmlType::Q4_0, q);
  w.add_tensor("rows", {4, 2, 3}, GgmlType::F16, [](int64_t row, std::span<uint8_t> dst) {
    ASSERT_EQ(dst.size(), 8u);
    for (size_t i = 0; i < dst.size(); ++i) dst[i] = static_cast<uint8_t>(row * 16 + static_cast<int64_t>(i));
  });
  const auto path = dir.path() / "tensors.gguf";
  w.write(path);

  GgufFile f = GgufFile::open(path);
  EXPECT_EQ(f.alignment(), 64u);
  EXPECT_EQ(f.get_u32("general.alignment"), 64u);
  EXPECT_EQ(f.data_offset() % 64, 0u);
  ASSERT_EQ(f.tensors().size(), 3u);
  const GgufTensorInfo& ta = f.tensor("a");
  EXPECT_EQ(ta.n_dims, 2u);
  EXPECT_EQ(ta.ne, (std::array<int64_t, 4>{8, 3, 1, 1}));
  EXPECT_EQ(ta.type, GgmlType::F32);
  EXPECT_EQ(ta.n_bytes, a.size() * 4);
  EXPECT_EQ(std::memcmp(ta.data, a.data(), ta.n_bytes), 0);
  EXPECT_EQ(ta.shape_string(), "[8, 3]");
  const GgufTensorInfo& tq = f.tensor("q");
  EXPECT_EQ(tq.type, GgmlType::Q4_0);
  EXPECT_EQ(tq.offset % 64, 0u);
  EXPECT_EQ(tq.row_bytes(), 18u);
  EXPECT_EQ(std::memcmp(tq.data, q.data(), q.size()), 0);
  const GgufTensorInfo& tr = f.tensor("rows");
  EXPECT_EQ(tr.n_rows(), 6);
  EXPECT_EQ(tr.n_elements(), 24);
  EXPECT_EQ(tr.n_bytes, 48u);
  EXPECT_EQ(static_cast<const uint8_t*>(tr.data)[5 * 8 + 3], 5 * 16 + 3);
  EXPECT_EQ(f.find_tensor("missing"), nullptr);

  // Moving keeps the mapping alive.
  GgufFile moved = std::move(f);
  EXPECT_EQ(std::memcmp(moved.tensor("a").data, a.data(), a.size() * 4), 0);
}

TEST(GgufRoundTrip, Version2FilesAreRead) {
  test::TempDir dir;
  GgufWriter w;
  w.set("general.architecture", "llama");
  auto bytes = w.to_bytes();
  const uint32_t v2 = 2;
  std::memcpy(bytes.data() + 4, &v2, 4);
  const auto path = dir.write("v2.gguf", std::string(bytes.begin(), bytes.end()));
  const GgufFile f = GgufFile::open(path);
  EXPECT_EQ(f.version(), 2u);
  EXPECT_EQ(f.get_string("general.architecture"), "llama");
}

TEST(GgufWriterChecks, RejectsBadInput) {
  GgufWriter w;
  w.set("k", GgufValue(uint32_t{1}));
  EXPECT_NE(error_of([&] { w.set("k", GgufValue(uint32_t{2})); }).find("duplicate GGUF key 'k'"), std::string::npos);
  EXPECT_THROW(w.set("general.alignment", GgufValue(uint32_t{64})), std::invalid_argument);
  EXPECT_THROW(GgufWriter(48), std::invalid_argument);
  EXPECT_THROW(GgufValue(GgufArray{GgufValueType::INT32, {GgufValue(1.0f)}}), std::invalid_argument);
  const std::vector<float> four(4, 1.0f);
  w.add_f32_tensor("t", {4}, four);
  EXPECT_THROW(w.add_f32_tensor("t", {4}, four), std::invalid_argument);
  EXPECT_THROW(w.add_f32_tensor("u", {4, 0}, four), std::invalid_argument);
  EXPECT_THROW(w.add_f32_tensor("u", {1, 1, 1, 2, 2}, four), std::invalid_argument);
  EXPECT_NE(error_of([&] { w.add_f32_tensor("u", {5}, four); }).find("needs 20 bytes, got 16"), std::string::npos);
  EXPECT_NE(error_of([&] { w.add_tensor("u", {16}, GgmlType::Q4_0, std::span<const uint8_t>()); })
                .find("not a multiple of the q4_0 block size"),
            std::string::npos);
  w.add_f32_tensor("u", {4}, four);  // the failed adds left no "u" behind
  EXPECT_EQ(w.to_bytes().size(), w.file_size());
}

TEST(GgufWriterChecks, CopiesKeysFromAnotherFile) {
  const GgufFile vocab = GgufFile::open(test::shared_dir() / "vocab" / "ggml-vocab-llama-spm.gguf");
  GgufWriter w;
  EXPECT_EQ(w.copy_kvs_with_prefix(vocab, "tokenizer."), 10u);
  w.copy_kv(vocab, "general.name");
  EXPECT_THROW(w.copy_kv(vocab, "no.such.key"), std::invalid_argument);
  test::TempDir dir;
  w.write(dir.path() / "copy.gguf");
  const GgufFile f = GgufFile::open(dir.path() / "copy.gguf");
  EXPECT_EQ(f.get_string_array("tokenizer.ggml.tokens"), vocab.get_string_array("tokenizer.ggml.tokens"));
  EXPECT_EQ(f.get_f32_array("tokenizer.ggml.scores"), vocab.get_f32_array("tokenizer.ggml.scores"));
  EXPECT_EQ(f.get_string("general.name"), "llama-spm");
}

TEST(GgufSharedFiles, EveryModelAndVocabLoads) {
  int files = 0;
  for (const char* sub : {"models", "vocab"}) {
    for (const auto& entry : std::filesystem::directory_iterator(test::shared_dir() / sub)) {
      if (entry.path().extension() != ".gguf") continue;
      SCOPED_TRACE(entry.path().string());
      const GgufFile f = GgufFile::open(entry.path());
      ++files;
      EXPECT_EQ(f.version(), 3u);
      EXPECT_FALSE(f.get_string("general.architecture").empty());
      EXPECT_GT(f.get_string_array("tokenizer.ggml.tokens").size(), 100u);
      for (const GgufTensorInfo& t : f.tensors()) {
        const auto* data_section = static_cast<const uint8_t*>(f.tensors()[0].data) - f.tensors()[0].offset;
        EXPECT_EQ(static_cast<const uint8_t*>(t.data), data_section + t.offset) << t.name;
        EXPECT_LE(f.data_offset() + t.offset + t.n_bytes, f.file_size()) << t.name;
        EXPECT_EQ(t.n_bytes, row_size(t.type, t.ne[0]) * static_cast<uint64_t>(t.n_rows())) << t.name;
      }
    }
  }
  EXPECT_GE(files, 20);  // 9 models, 11 vocabularies
}

TEST(GgufSharedFiles, Stories260KHeader) {
  const GgufFile f = GgufFile::open(test::shared_dir() / "models" / "stories260K.gguf");
  EXPECT_EQ(f.get_string("general.architecture"), "llama");
  EXPECT_EQ(f.get_u32("llama.embedding_length"), 64u);
  EXPECT_EQ(f.get_u32("llama.block_count"), 5u);
  EXPECT_EQ(f.get_u32("llama.attention.head_count"), 8u);
  EXPECT_EQ(f.get_u32("llama.attention.head_count_kv"), 4u);
  EXPECT_EQ(f.get_u32("llama.feed_forward_length"), 172u);
  EXPECT_EQ(f.get_string_array("tokenizer.ggml.tokens").size(), 512u);
  const GgufTensorInfo& emb = f.tensor("token_embd.weight");
  EXPECT_EQ(emb.ne[0], 64);
  EXPECT_EQ(emb.ne[1], 512);
  EXPECT_EQ(emb.type, GgmlType::F32);
  EXPECT_EQ(f.tensor("blk.4.ffn_down.weight").ne[0], 172);
}

}  // namespace
}  // namespace sb::engine
