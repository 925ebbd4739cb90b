// Corrupt and truncated GGUF files: every one must fail in GgufFile::open with a
// std::runtime_error naming the file and the problem, never read out of bounds (this
// suite also runs under AddressSanitizer) and never allocate from a corrupt count.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <algorithm>

#include "local_engine/gguf.h"
#include "local_engine/gguf_writer.h"
#include "tests/support/paths.h"

namespace sb::engine {
namespace {

using Bytes = std::vector<uint8_t>;
constexpr uint64_t kHuge = std::numeric_limits<uint64_t>::max();

// A small valid file: a few KVs of different kinds and three tensors.
Bytes valid_file() {
  GgufWriter w;
  w.set("general.architecture", "llama");
  w.set("test.u32", GgufValue(uint32_t{7}));
  w.set("test.bool", GgufValue(true));
  w.set("test.key_a", GgufValue(uint32_t{1}));
  w.set("test.key_b", GgufValue(uint32_t{2}));
  w.set("test.strings", GgufValue::string_array({"a", "bc", ""}));
  w.set("test.floats", GgufValue::f32_array({1.0f, 2.0f}));
  std::vector<float> a(8 * 4, 0.5f);
  w.add_f32_tensor("tensor_a", {8, 4}, a);
  w.add_tensor("tensor_b", {64, 2}, GgmlType::Q4_0, Bytes(4 * 18, 0x11));
  w.add_tensor("tensor_c", {16}, GgmlType::F16, Bytes(32, 0x3c));
  return w.to_bytes();
}

// Offset of the first occurrence of `s` in the file (a key or tensor name; its u64
// length precedes it).
size_t find(const Bytes& b, const std::string& s) {
  const auto it = std::search(b.begin(), b.end(), s.begin(), s.end());
  if (it == b.end()) throw std::logic_error("test file has no '" + s + "'");
  return static_cast<size_t>(it - b.begin());
}
size_t after(const Bytes& b, const std::string& s) { return find(b, s) + s.size(); }

template <typename T>
Bytes patched(Bytes b, size_t offset, T value) {
  std::memcpy(b.data() + offset, &value, sizeof(T));
  return b;
}

// Tensor info fields of `name` (n_dims dims): n_dims, dims, type, offset.
struct TensorFields {
  size_t n_dims, dims, type, offset;
};
TensorFields tensor_fields(const Bytes& b, const std::string& name, uint32_t n_dims) {
  const size_t p = after(b, name);
  return {p, p + 4, p + 4 + 8 * n_dims, p + 8 + 8 * n_dims};
}

class GgufCorruption : public ::testing::Test {
 protected:
  // Writes `bytes` as `name` and returns GgufFile::open's error message ("" if it opened).
  std::string open_error(const Bytes& bytes, const std::string& name) {
    const auto path = dir_.path() / name;
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    try {
      GgufFile::open(path);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  }

  void expect_error(const Bytes& bytes, const std::string& name, const std::string& phrase) {
    const std::string message = open_error(bytes, name);
    ASSERT_FALSE(message.empty()) << name << " opened without error";
    EXPECT_NE(message.find(name), std::string::npos) << "message does not name the file: " << message;
    EXPECT_NE(message.find(phrase), std::string::npos) << "expected '" << phrase << "' in: " << message;
  }

  test::TempDir dir_;
  const Bytes good_ = valid_file();
};

TEST_F(GgufCorruption, TheBaseFileIsValid) {
  EXPECT_EQ(open_error(good_, "good.gguf"), "");
  EXPECT_GT(good_.size(), 300u);
}

// Any prefix of a GGUF file is an error: in the header it is a truncated read or a
// count/length that cannot fit; in the data, a tensor running past the end.
bool is_truncation_message(const std::string& m) {
  for (const char* phrase : {"truncated", "runs past end of file", "exceeds what the remaining"}) {
    if (m.find(phrase) != std::string::npos) return true;
  }
  return false;
}

TEST_F(GgufCorruption, EveryTruncationOfTheSmallFileFails) {
  for (size_t len = 0; len < good_.size(); ++len) {
    const std::string name = "trunc_" + std::to_string(len) + ".gguf";
    const std::string message = open_error(Bytes(good_.begin(), good_.begin() + static_cast<long>(len)), name);
    ASSERT_FALSE(message.empty()) << "prefix of " << len << " bytes opened";
    EXPECT_NE(message.find(name), std::string::npos) << message;
    EXPECT_TRUE(is_truncation_message(message)) << message;
  }
}

TEST_F(GgufCorruption, TruncationsOfStories260KFail) {
  std::ifstream in(test::shared_dir() / "models" / "stories260K.gguf", std::ios::binary);
  const Bytes full((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(full.size(), 1000000u);
  std::vector<size_t> cuts;
  for (size_t len = 0; len < 1024; ++len) cuts.push_back(len);                 // every byte of the start
  for (size_t len = 1024; len < 16384; len += 127) cuts.push_back(len);        // the rest of the header
  for (size_t len = 16384; len < full.size(); len += full.size() / 23) cuts.push_back(len);  // the data
  cuts.push_back(full.size() - 1);
  for (size_t len : cuts) {
    const std::string message = open_error(Bytes(full.begin(), full.begin() + static_cast<long>(len)), "stories_cut.gguf");
    ASSERT_FALSE(message.empty()) << "prefix of " << len << " bytes opened";
    EXPECT_TRUE(is_truncation_message(message)) << len << ": " << message;
  }
}

TEST_F(GgufCorruption, HeaderErrors) {
  expect_error(Bytes{}, "empty.gguf", "truncated: file is empty");
  expect_error(patched(good_, 0, uint32_t{0x46554746}), "magic.gguf", "not a GGUF file (bad magic 0x46554746)");
  expect_error(patched(good_, 4, uint32_t{1}), "v1.gguf", "GGUF version 1 is not supported");
  expect_error(patched(good_, 4, uint32_t{4}), "v4.gguf", "unsupported GGUF version 4");
  EXPECT_NE(open_error(Bytes{}, "x.gguf").find("x.gguf"), std::string::npos);
  try {
    GgufFile::open(dir_.path() / "does_not_exist.gguf");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("does_not_exist.gguf: cannot open"), std::string::npos) << e.what();
  }
}

TEST_F(GgufCorruption, HugeCountsAndLengths) {
  expect_error(patched(good_, 8, kHuge), "tensor_count.gguf", "tensor count 18446744073709551615 exceeds");
  expect_error(patched(good_, 16, kHuge), "kv_count.gguf", "metadata count 18446744073709551615 exceeds");
  expect_error(patched(good_, 8, uint64_t{1} << 40), "tensor_count_2.gguf", "tensor count 1099511627776 exceeds");
  // One more KV than there is: the parser reads the first tensor info as a KV and fails.
  EXPECT_FALSE(open_error(patched(good_, 16, uint64_t{9}), "kv_count_3.gguf").empty());
  // The first key's length (right after the 24-byte header).
  expect_error(patched(good_, 24, kHuge - 3), "key_length.gguf", "string length 18446744073709551612 at offset 24 runs past end of file");
  // A string value's length.
  const size_t arch = after(good_, "general.architecture") + 4;
  expect_error(patched(good_, arch, kHuge), "string_length.gguf", "key 'general.architecture': string length 18446744073709551615");
  // Array lengths: strings and fixed-size elements.
  const size_t strings = after(good_, "test.strings") + 8;
  expect_error(patched(good_, strings, kHuge), "array_length.gguf", "key 'test.strings': array of 18446744073709551615 string");
  const size_t floats = after(good_, "test.floats") + 8;
  expect_error(patched(good_, floats, kHuge / 2), "array_length_2.gguf", "key 'test.floats': array of 9223372036854775807 float32");
  // A string inside the array.
  expect_error(patched(good_, strings + 8, kHuge), "array_string.gguf", "string length 18446744073709551615");
}

TEST_F(GgufCorruption, UnknownTypeIds) {
  expect_error(patched(good_, after(good_, "test.u32"), uint32_t{13}), "kv_type.gguf", "key 'test.u32' has unknown value type 13");
  expect_error(patched(good_, after(good_, "test.strings") + 4, uint32_t{99}), "elem_type.gguf",
               "key 'test.strings' array element has unknown value type 99");
  const TensorFields b = tensor_fields(good_, "tensor_b", 2);
  expect_error(patched(good_, b.type, uint32_t{4}), "tensor_type.gguf", "tensor 'tensor_b' has unknown tensor type id 4");
  expect_error(patched(good_, b.type, uint32_t{1000}), "tensor_type_2.gguf", "unknown tensor type id 1000");
  expect_error(patched(good_, after(good_, "test.bool") + 4, uint8_t{2}), "bool.gguf", "key 'test.bool': bool value 2 is not 0 or 1");
}

TEST_F(GgufCorruption, BadTensorShapes) {
  const TensorFields a = tensor_fields(good_, "tensor_a", 2);
  const TensorFields b = tensor_fields(good_, "tensor_b", 2);
  expect_error(patched(good_, b.dims, uint64_t{48}), "block.gguf", "tensor 'tensor_b' row length 48 is not a multiple of the q4_0 block size 32");
  expect_error(patched(good_, a.n_dims, uint32_t{5}), "ndims.gguf", "tensor 'tensor_a' has n_dims 5 (must be 1 to 4)");
  expect_error(patched(good_, a.n_dims, uint32_t{0}), "ndims_0.gguf", "has n_dims 0");
  expect_error(patched(good_, a.dims, uint64_t{0}), "zero_dim.gguf", "tensor 'tensor_a' has invalid dimension 0 = 0");
  expect_error(patched(good_, a.dims + 8, kHuge), "neg_dim.gguf", "has invalid dimension 1 = 18446744073709551615");
  expect_error(patched(patched(good_, a.dims, uint64_t{1} << 40), a.dims + 8, uint64_t{1} << 40), "elements.gguf",
               "tensor 'tensor_a' shape [1099511627776, 1099511627776] element count overflows");
  expect_error(patched(patched(good_, a.dims, uint64_t{1} << 61), a.dims + 8, uint64_t{2}), "bytes.gguf",
               "tensor 'tensor_a' shape [2305843009213693952, 2] byte size overflows");
}

TEST_F(GgufCorruption, BadTensorOffsets) {
  const TensorFields a = tensor_fields(good_, "tensor_a", 2);
  const TensorFields c = tensor_fields(good_, "tensor_c", 1);
  expect_error(patched(good_, c.offset, uint64_t{1} << 40), "past_eof.gguf", "tensor 'tensor_c' data [offset ");
  expect_error(patched(good_, c.offset, uint64_t{1} << 40), "past_eof_2.gguf", "32 bytes] runs past end of file (size ");
  expect_error(patched(good_, c.offset, kHuge - 31), "wrap.gguf", "tensor 'tensor_c' data [offset overflow, 32 bytes] runs past end of file");
  uint64_t c_offset;
  std::memcpy(&c_offset, good_.data() + c.offset, 8);
  expect_error(patched(good_, c.offset, c_offset + 2), "misaligned.gguf", "tensor 'tensor_c' offset " + std::to_string(c_offset + 2) + " is not aligned to 32 bytes");
  expect_error(patched(good_, c.offset, uint64_t{0}), "overlap.gguf", "tensors 'tensor_a' and 'tensor_c' overlap");
  // tensor_a grows into tensor_b: [16, 4] f32 = 256 bytes > the 128 before tensor_b.
  expect_error(patched(good_, a.dims, uint64_t{16}), "overlap_2.gguf", "tensors 'tensor_a' and 'tensor_b' overlap");
}

TEST_F(GgufCorruption, DuplicatesAndAlignment) {
  Bytes dup_key = good_;
  dup_key[after(good_, "test.key_b") - 1] = 'a';
  expect_error(dup_key, "dup_key.gguf", "duplicate key 'test.key_a'");
  Bytes dup_tensor = good_;
  dup_tensor[after(good_, "tensor_b") - 1] = 'a';
  expect_error(dup_tensor, "dup_tensor.gguf", "duplicate tensor name 'tensor_a'");
  const size_t alignment = after(good_, "general.alignment") + 4;
  expect_error(patched(good_, alignment, uint32_t{48}), "align_48.gguf", "general.alignment 48 is not a power of two");
  expect_error(patched(good_, alignment, uint32_t{0}), "align_0.gguf", "general.alignment 0 is not a power of two");
  expect_error(patched(good_, alignment - 4, uint32_t{5}), "align_type.gguf", "general.alignment must be a uint32, got int32");
  // Offsets valid for 32 need not be for a larger alignment.
  expect_error(patched(good_, alignment, uint32_t{4096}), "align_4096.gguf",
               "tensor 'tensor_b' offset 128 is not aligned to 4096 bytes");
}

// Random damage: each mutated file either opens (and then every tensor lies inside the
// file) or fails with a runtime_error naming it; nothing else (no crash, no other
// exception, no sanitizer report).
TEST_F(GgufCorruption, RandomByteDamageIsCaughtOrHarmless) {
  std::mt19937 rng(20240601);
  int opened = 0;
  for (int round = 0; round < 1500; ++round) {
    Bytes b = good_;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) {
      // Mostly hit the header, where the structure is.
      const size_t limit = (rng() % 4 == 0) ? b.size() : std::min<size_t>(b.size(), 420);
      b[rng() % limit] = static_cast<uint8_t>(rng());
    }
    const auto path = dir_.path() / "damaged.gguf";
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    }
    try {
      const GgufFile f = GgufFile::open(path);
      ++opened;
      for (const GgufTensorInfo& t : f.tensors()) {
        ASSERT_LE(f.data_offset() + t.offset + t.n_bytes, b.size()) << t.name;
        const auto* data = static_cast<const uint8_t*>(t.data);
        EXPECT_EQ(data[t.n_bytes - 1], b[f.data_offset() + t.offset + t.n_bytes - 1]);
      }
    } catch (const std::runtime_error& e) {
      ASSERT_NE(std::string(e.what()).find("damaged.gguf: "), std::string::npos) << e.what();
    }
  }
  EXPECT_GT(opened, 0);  // damage to tensor data or string contents is not detectable
}

TEST_F(GgufCorruption, DeeplyNestedArraysAreRefused) {
  GgufValue v(GgufArray{GgufValueType::UINT8, {}});
  for (int depth = 0; depth < 9; ++depth) v = GgufValue(GgufArray{GgufValueType::ARRAY, {v}});
  GgufWriter w;
  w.set("test.nested", v);
  expect_error(w.to_bytes(), "nested.gguf", "key 'test.nested': arrays nested deeper than 8");
}

}  // namespace
}  // namespace sb::engine
