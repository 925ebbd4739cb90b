#pragma once
// A GGUF model file (v2 or v3, little-endian), memory-mapped read-only.
//
// open() validates the whole header before returning: every count, string length,
// array length, dimension, offset and byte size is checked against the file size with
// overflow-safe arithmetic, tensor types must be known, tensor data must be aligned, in
// bounds, non-overlapping, and dim 0 a multiple of the type's block size; keys and tensor
// names must be unique. Any violation throws std::runtime_error whose message starts with
// the file name and says what is wrong, e.g.
//   "model.gguf: tensor 'blk.0.attn_q.weight' data [offset 1234, 4096 bytes] runs past
//    end of file (size 2000)".
// After open() succeeds, tensor data pointers stay valid for the life of the GgufFile
// (weights are used in place, never copied or dequantized at load).
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "local_engine/ggml_type.h"
#include "local_engine/gguf_value.h"

namespace sb::engine {

inline constexpr uint32_t kGgufMagic = 0x46554747;  // "GGUF" read as little-endian u32
inline constexpr uint64_t kGgufDefaultAlignment = 32;
inline constexpr uint32_t kGgufMaxDims = 4;

struct GgufKV {
  std::string key;
  GgufValue value;
};

struct GgufTensorInfo {
  std::string name;
  uint32_t n_dims = 0;                 // 1..4
  std::array<int64_t, 4> ne{1, 1, 1, 1};  // ne[0] = elements per row (contiguous); unused dims are 1
  GgmlType type = GgmlType::F32;
  uint64_t offset = 0;                 // from the start of the data section
  uint64_t n_bytes = 0;                // row_size(type, ne[0]) * ne[1] * ne[2] * ne[3]
  const void* data = nullptr;          // mapped bytes: [n_bytes]

  int64_t n_elements() const { return ne[0] * ne[1] * ne[2] * ne[3]; }
  int64_t n_rows() const { return ne[1] * ne[2] * ne[3]; }
  size_t row_bytes() const { return row_size(type, ne[0]); }
  // "[256, 512]" — the dims in file order, for messages.
  std::string shape_string() const;
};

class GgufFile {
 public:
  // Maps and validates the file; throws std::runtime_error (file name + problem).
  static GgufFile open(const std::filesystem::path& path);

  GgufFile(GgufFile&& other) noexcept;
  GgufFile& operator=(GgufFile&& other) noexcept;
  GgufFile(const GgufFile&) = delete;
  GgufFile& operator=(const GgufFile&) = delete;
  ~GgufFile();  // unmaps

  const std::filesystem::path& path() const { return path_; }
  uint32_t version() const { return version_; }
  uint64_t alignment() const { return alignment_; }        // general.alignment or 32
  uint64_t data_offset() const { return data_offset_; }    // start of the data section
  uint64_t file_size() const { return size_; }

  // Metadata in file order.
  const std::vector<GgufKV>& metadata() const { return kvs_; }
  const GgufValue* find(std::string_view key) const;  // nullptr when absent

  // Typed getters. The one-argument forms throw when the key is missing; the
  // two-argument forms return `fallback` only when it is missing. Both throw
  // std::runtime_error naming the file and the key when the value has the wrong type or
  // does not fit (e.g. a negative int32 read with get_u32). Integer getters accept any
  // integer type; get_f32 accepts float32 and float64.
  uint32_t get_u32(std::string_view key) const;
  uint32_t get_u32(std::string_view key, uint32_t fallback) const;
  int64_t get_i64(std::string_view key) const;
  int64_t get_i64(std::string_view key, int64_t fallback) const;
  float get_f32(std::string_view key) const;
  float get_f32(std::string_view key, float fallback) const;
  bool get_bool(std::string_view key) const;
  bool get_bool(std::string_view key, bool fallback) const;
  std::string get_string(std::string_view key) const;
  std::string get_string(std::string_view key, std::string_view fallback) const;
  // Arrays: the element type must match (strings; float32/float64; any integer type
  // whose values fit in int32).
  std::vector<std::string> get_string_array(std::string_view key) const;
  std::vector<std::string> get_string_array(std::string_view key,
                                            const std::vector<std::string>& fallback) const;
  std::vector<float> get_f32_array(std::string_view key) const;
  std::vector<float> get_f32_array(std::string_view key, const std::vector<float>& fallback) const;
  std::vector<int32_t> get_i32_array(std::string_view key) const;
  std::vector<int32_t> get_i32_array(std::string_view key,
                                     const std::vector<int32_t>& fallback) const;

  // Tensors in file order.
  const std::vector<GgufTensorInfo>& tensors() const { return tensors_; }
  const GgufTensorInfo* find_tensor(std::string_view name) const;  // nullptr when absent
  const GgufTensorInfo& tensor(std::string_view name) const;       // throws when absent

 private:
  GgufFile() = default;
  friend class GgufParser;
  const GgufValue& require(std::string_view key) const;

  std::filesystem::path path_;
  const uint8_t* map_ = nullptr;  // [size_] read-only mapping
  uint64_t size_ = 0;
  uint32_t version_ = 0;
  uint64_t alignment_ = kGgufDefaultAlignment;
  uint64_t data_offset_ = 0;
  std::vector<GgufKV> kvs_;
  std::vector<GgufTensorInfo> tensors_;
  std::map<std::string, size_t, std::less<>> kv_index_;      // key -> index in kvs_
  std::map<std::string, size_t, std::less<>> tensor_index_;  // name -> index in tensors_
};

}  // namespace sb::engine
