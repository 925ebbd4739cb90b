#include "local_engine/gguf_writer.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sb::engine {
namespace {

static_assert(std::endian::native == std::endian::little, "GGUF is written little-endian");

constexpr uint32_t kWriteVersion = 3;

template <typename T>
void put(std::string& out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out.append(bytes, sizeof(T));
}

void put_string(std::string& out, const std::string& s) {
  put<uint64_t>(out, s.size());
  out += s;
}

// The value's payload (no type tag): what follows the type in a KV or an array.
void put_value(std::string& out, const GgufValue& v) {
  switch (v.type()) {
    case GgufValueType::UINT8: put(out, static_cast<uint8_t>(v.as_u64())); break;
    case GgufValueType::INT8: put(out, static_cast<int8_t>(v.as_i64())); break;
    case GgufValueType::UINT16: put(out, static_cast<uint16_t>(v.as_u64())); break;
    case GgufValueType::INT16: put(out, static_cast<int16_t>(v.as_i64())); break;
    case GgufValueType::UINT32: put(out, static_cast<uint32_t>(v.as_u64())); break;
    case GgufValueType::INT32: put(out, static_cast<int32_t>(v.as_i64())); break;
    case GgufValueType::UINT64: put(out, v.as_u64()); break;
    case GgufValueType::INT64: put(out, v.as_i64()); break;
    case GgufValueType::FLOAT32: put(out, static_cast<float>(v.as_f64())); break;
    case GgufValueType::FLOAT64: put(out, v.as_f64()); break;
    case GgufValueType::BOOL: put<uint8_t>(out, v.as_bool() ? 1 : 0); break;
    case GgufValueType::STRING: put_string(out, v.as_string()); break;
    case GgufValueType::ARRAY: {
      const GgufArray& a = v.as_array();
      put(out, static_cast<uint32_t>(a.elem_type));
      put<uint64_t>(out, a.items.size());
      for (const GgufValue& item : a.items) put_value(out, item);
      break;
    }
  }
}

uint64_t align_up(uint64_t v, uint64_t alignment) { return (v + alignment - 1) & ~(alignment - 1); }

void write_zeros(std::ostream& out, uint64_t n) {
  static constexpr char kZeros[64] = {};
  while (n > 0) {
    const uint64_t chunk = std::min<uint64_t>(n, sizeof kZeros);
    out.write(kZeros, static_cast<std::streamsize>(chunk));
    n -= chunk;
  }
}

}  // namespace

GgufWriter::GgufWriter(uint64_t alignment) : alignment_(alignment) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > UINT32_MAX) {
    throw std::invalid_argument("GGUF alignment " + std::to_string(alignment) + " is not a power of two");
  }
  kvs_.push_back({"general.alignment", GgufValue(static_cast<uint32_t>(alignment))});
}

void GgufWriter::set(std::string key, GgufValue value) {
  if (key.empty()) throw std::invalid_argument("empty GGUF key");
  if (key == "general.alignment") {
    throw std::invalid_argument("general.alignment is set through the GgufWriter constructor");
  }
  for (const GgufKV& kv : kvs_) {
    if (kv.key == key) throw std::invalid_argument("duplicate GGUF key '" + key + "'");
  }
  kvs_.push_back({std::move(key), std::move(value)});
}

void GgufWriter::copy_kv(const GgufFile& src, std::string_view key) {
  const GgufValue* v = src.find(key);
  if (v == nullptr) {
    throw std::invalid_argument(src.path().string() + ": missing key '" + std::string(key) + "'");
  }
  set(std::string(key), *v);
}

size_t GgufWriter::copy_kvs_with_prefix(const GgufFile& src, std::string_view prefix) {
  size_t copied = 0;
  for (const GgufKV& kv : src.metadata()) {
    if (kv.key.starts_with(prefix)) {
      set(kv.key, kv.value);
      ++copied;
    }
  }
  return copied;
}

GgufWriter::PendingTensor& GgufWriter::add_tensor_info(std::string name, std::vector<int64_t> dims,
                                                       GgmlType type) {
  const std::string context = "tensor '" + name + "'";
  if (name.empty()) throw std::invalid_argument("empty tensor name");
  for (const PendingTensor& t : tensors_) {
    if (t.name == name) throw std::invalid_argument("duplicate " + context);
  }
  if (dims.empty() || dims.size() > kGgufMaxDims) {
    throw std::invalid_argument(context + " needs 1 to 4 dims, got " + std::to_string(dims.size()));
  }
  uint64_t rows = 1;
  for (size_t d = 0; d < dims.size(); ++d) {
    if (dims[d] <= 0) throw std::invalid_argument(context + " has non-positive dim " + std::to_string(d));
    if (d > 0 && __builtin_mul_overflow(rows, static_cast<uint64_t>(dims[d]), &rows)) {
      throw std::invalid_argument(context + " is too large");
    }
  }
  uint64_t n_bytes = 0;
  try {
    if (__builtin_mul_overflow(static_cast<uint64_t>(row_size(type, dims[0])), rows, &n_bytes)) {
      throw std::invalid_argument(context + " is too large");
    }
  } catch (const std::runtime_error& e) {
    throw std::invalid_argument(context + ": " + e.what());
  }
  const uint64_t offset = align_up(data_size_, alignment_);
  data_size_ = offset + n_bytes;
  tensors_.push_back({std::move(name), std::move(dims), type, n_bytes, offset, {}, {}});
  return tensors_.back();
}

void GgufWriter::add_tensor(std::string name, std::vector<int64_t> dims, GgmlType type,
                            std::span<const uint8_t> bytes) {
  PendingTensor& t = add_tensor_info(std::move(name), std::move(dims), type);
  if (bytes.size() != t.n_bytes) {
    const std::string message = "tensor '" + t.name + "' needs " + std::to_string(t.n_bytes) +
                                " bytes, got " + std::to_string(bytes.size());
    data_size_ = t.offset;  // forget the half-added tensor
    tensors_.pop_back();
    throw std::invalid_argument(message);
  }
  t.bytes.assign(bytes.begin(), bytes.end());
}

void GgufWriter::add_tensor(std::string name, std::vector<int64_t> dims, GgmlType type, RowFiller fill) {
  if (!fill) throw std::invalid_argument("tensor '" + name + "' has no row filler");
  add_tensor_info(std::move(name), std::move(dims), type).fill = std::move(fill);
}

void GgufWriter::add_f32_tensor(std::string name, std::vector<int64_t> dims, std::span<const float> values) {
  add_tensor(std::move(name), std::move(dims), GgmlType::F32,
             std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(values.data()), values.size_bytes()));
}

std::string GgufWriter::serialize_header() const {
  std::string out;
  put(out, kGgufMagic);
  put(out, kWriteVersion);
  put<uint64_t>(out, tensors_.size());
  put<uint64_t>(out, kvs_.size());
  for (const GgufKV& kv : kvs_) {
    put_string(out, kv.key);
    put(out, static_cast<uint32_t>(kv.value.type()));
    put_value(out, kv.value);
  }
  for (const PendingTensor& t : tensors_) {
    put_string(out, t.name);
    put(out, static_cast<uint32_t>(t.dims.size()));
    for (int64_t d : t.dims) put(out, static_cast<uint64_t>(d));
    put(out, static_cast<uint32_t>(t.type));
    put(out, t.offset);
  }
  return out;
}

uint64_t GgufWriter::header_size() const {
  return align_up(serialize_header().size(), alignment_);
}

uint64_t GgufWriter::file_size() const { return header_size() + data_size_; }

void GgufWriter::write(std::ostream& out) const {
  const std::string header = serialize_header();
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  write_zeros(out, align_up(header.size(), alignment_) - header.size());
  uint64_t pos = 0;  // within the data section
  std::vector<uint8_t> row;
  for (const PendingTensor& t : tensors_) {
    write_zeros(out, t.offset - pos);
    if (t.fill) {
      row.assign(row_size(t.type, t.dims[0]), 0);  // [row bytes]
      const uint64_t rows = t.n_bytes / row.size();
      for (uint64_t r = 0; r < rows; ++r) {
        t.fill(static_cast<int64_t>(r), std::span<uint8_t>(row));
        out.write(reinterpret_cast<const char*>(row.data()), static_cast<std::streamsize>(row.size()));
      }
    } else {
      out.write(reinterpret_cast<const char*>(t.bytes.data()), static_cast<std::streamsize>(t.bytes.size()));
    }
    pos = t.offset + t.n_bytes;
  }
}

void GgufWriter::write(const std::filesystem::path& path) const {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) throw std::runtime_error(tmp.string() + ": cannot create");
      write(out);
      out.flush();
      if (!out) throw std::runtime_error(tmp.string() + ": write failed");
    }
    std::filesystem::rename(tmp, path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw;
  }
}

std::vector<uint8_t> GgufWriter::to_bytes() const {
  std::ostringstream out;
  write(out);
  const std::string s = std::move(out).str();
  return std::vector<uint8_t>(s.begin(), s.end());
}

}  // namespace sb::engine
