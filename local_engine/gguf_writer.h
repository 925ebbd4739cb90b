#pragma once
// Builds a GGUF v3 file: metadata key/values of every type, then tensor infos, then the
// tensor data, each tensor aligned to `alignment` bytes (always recorded as the first
// key, general.alignment). Tensor bytes are either given up front or produced
// row by row at write time, so multi-GB models stream to disk without being held in RAM.
//
// The writer checks what it is given (unique keys and names, 1..4 positive dims, dim 0 a
// multiple of the type's block size, byte counts that match the shape) and throws
// std::invalid_argument otherwise. Tests that need corrupt files write a valid one and
// patch its bytes.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "local_engine/ggml_type.h"
#include "local_engine/gguf.h"
#include "local_engine/gguf_value.h"

namespace sb::engine {

class GgufWriter {
 public:
  // Called once per row, in order: fill `dst` (row_size(type, dims[0]) bytes) with row
  // `row` of the tensor (rows counted over dims 1..3 flattened).
  using RowFiller = std::function<void(int64_t row, std::span<uint8_t> dst)>;

  explicit GgufWriter(uint64_t alignment = kGgufDefaultAlignment);  // power of two

  // Adds a key; throws std::invalid_argument if the key already exists.
  void set(std::string key, GgufValue value);
  // Copies one key from `src` (throws if missing), or every key starting with `prefix`
  // (e.g. "tokenizer."); returns how many were copied.
  void copy_kv(const GgufFile& src, std::string_view key);
  size_t copy_kvs_with_prefix(const GgufFile& src, std::string_view prefix);

  // dims in GGUF order: dims[0] is the row length. `bytes` must be exactly the tensor's
  // size; it is copied.
  void add_tensor(std::string name, std::vector<int64_t> dims, GgmlType type,
                  std::span<const uint8_t> bytes);
  void add_tensor(std::string name, std::vector<int64_t> dims, GgmlType type, RowFiller fill);
  // F32 convenience: values.size() must equal the element count.
  void add_f32_tensor(std::string name, std::vector<int64_t> dims, std::span<const float> values);

  // Streams the file. write(path) writes to path + ".tmp" then renames, so a failed or
  // interrupted write never leaves a half file under the final name; throws
  // std::runtime_error naming the path on I/O errors.
  void write(std::ostream& out) const;
  void write(const std::filesystem::path& path) const;
  std::vector<uint8_t> to_bytes() const;

  // Total bytes write() produces.
  uint64_t file_size() const;

 private:
  struct PendingTensor {
    std::string name;
    std::vector<int64_t> dims;
    GgmlType type;
    uint64_t n_bytes;
    uint64_t offset;                // within the data section, aligned
    std::vector<uint8_t> bytes;     // [n_bytes] when given up front
    RowFiller fill;                 // otherwise
  };
  PendingTensor& add_tensor_info(std::string name, std::vector<int64_t> dims, GgmlType type);
  std::string serialize_header() const;  // everything before the data section, unpadded
  uint64_t header_size() const;          // padded to the alignment

  uint64_t alignment_;
  std::vector<GgufKV> kvs_;
  std::vector<PendingTensor> tensors_;
  uint64_t data_size_ = 0;  // end of the last tensor in the data section
};

}  // namespace sb::engine
