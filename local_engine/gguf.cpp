#include "local_engine/gguf.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace sb::engine {

// Parses the header of a mapped GGUF file into a GgufFile. Every read goes through
// need(), which checks the bytes are there; every size computation is overflow-checked.
class GgufParser {
 public:
  explicit GgufParser(GgufFile& file) : f_(file), data_(file.map_), size_(file.size_) {}

  void parse() {
    const uint32_t magic = read_u32("magic");
    if (magic != kGgufMagic) {
      std::ostringstream msg;
      msg << "not a GGUF file (bad magic 0x" << std::hex << magic << ")";
      fail(msg.str());
    }
    f_.version_ = read_u32("version");
    if (f_.version_ == 1) fail("GGUF version 1 is not supported (only versions 2 and 3)");
    if (f_.version_ != 2 && f_.version_ != 3) {
      fail("unsupported GGUF version " + std::to_string(f_.version_) + " (only versions 2 and 3)");
    }
    const uint64_t n_tensors = read_u64("tensor count");
    const uint64_t n_kvs = read_u64("metadata count");
    // Smallest possible records: a KV is a key length, a type and a 1-byte value; a
    // tensor info is a name length, n_dims, one dim, a type and an offset.
    check_count(n_kvs, 8 + 4 + 1, "metadata count");
    check_count(n_tensors, 8 + 4 + 8 + 4 + 8, "tensor count");

    f_.kvs_.reserve(n_kvs);
    for (uint64_t i = 0; i < n_kvs; ++i) read_kv();
    read_alignment();

    f_.tensors_.reserve(n_tensors);
    for (uint64_t i = 0; i < n_tensors; ++i) read_tensor_info();

    if (!align_up(pos_, f_.alignment_, f_.data_offset_)) fail("data section offset overflows");
    place_tensors();
  }

 private:
  static constexpr int kMaxArrayNesting = 8;

  [[noreturn]] void fail(const std::string& problem) const {
    throw std::runtime_error(f_.path_.string() + ": " + problem);
  }

  void need(uint64_t n, std::string_view what) const {
    if (n > size_ - pos_) {
      fail("truncated: " + std::string(what) + " at offset " + std::to_string(pos_) + " needs " +
           std::to_string(n) + " bytes, file size is " + std::to_string(size_));
    }
  }

  template <typename T>
  T read_scalar(std::string_view what) {
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, data_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  uint32_t read_u32(std::string_view what) { return read_scalar<uint32_t>(what); }
  uint64_t read_u64(std::string_view what) { return read_scalar<uint64_t>(what); }

  std::string read_string(std::string_view what) {
    const uint64_t start = pos_;
    const uint64_t len = read_u64(what);
    if (len > size_ - pos_) {
      fail(std::string(what) + ": string length " + std::to_string(len) + " at offset " +
           std::to_string(start) + " runs past end of file (size " + std::to_string(size_) + ")");
    }
    std::string s(reinterpret_cast<const char*>(data_ + pos_), len);
    pos_ += len;
    return s;
  }

  // A count of records each at least `min_bytes` long must fit in what is left, so a
  // corrupt count can never make us reserve absurd amounts of memory.
  void check_count(uint64_t count, uint64_t min_bytes, std::string_view what) const {
    if (count > (size_ - pos_) / min_bytes) {
      fail(std::string(what) + " " + std::to_string(count) + " exceeds what the remaining " +
           std::to_string(size_ - pos_) + " bytes can hold");
    }
  }

  static bool align_up(uint64_t v, uint64_t alignment, uint64_t& out) {
    if (__builtin_add_overflow(v, alignment - 1, &out)) return false;
    out &= ~(alignment - 1);
    return true;
  }

  GgufValueType read_value_type(const std::string& context) {
    const uint32_t id = read_u32(context + " type");
    if (id > static_cast<uint32_t>(GgufValueType::FLOAT64)) {
      fail(context + " has unknown value type " + std::to_string(id));
    }
    return static_cast<GgufValueType>(id);
  }

  GgufValue read_value(GgufValueType type, const std::string& context, int depth) {
    switch (type) {
      case GgufValueType::UINT8: return read_scalar<uint8_t>(context);
      case GgufValueType::INT8: return read_scalar<int8_t>(context);
      case GgufValueType::UINT16: return read_scalar<uint16_t>(context);
      case GgufValueType::INT16: return read_scalar<int16_t>(context);
      case GgufValueType::UINT32: return read_scalar<uint32_t>(context);
      case GgufValueType::INT32: return read_scalar<int32_t>(context);
      case GgufValueType::FLOAT32: return read_scalar<float>(context);
      case GgufValueType::UINT64: return read_scalar<uint64_t>(context);
      case GgufValueType::INT64: return read_scalar<int64_t>(context);
      case GgufValueType::FLOAT64: return read_scalar<double>(context);
      case GgufValueType::BOOL: {
        const uint8_t b = read_scalar<uint8_t>(context);
        if (b > 1) fail(context + ": bool value " + std::to_string(b) + " is not 0 or 1");
        return b == 1;
      }
      case GgufValueType::STRING: return read_string(context);
      case GgufValueType::ARRAY: return read_array(context, depth);
    }
    fail(context + " has unknown value type " + std::to_string(static_cast<uint32_t>(type)));
  }

  GgufValue read_array(const std::string& context, int depth) {
    if (depth >= kMaxArrayNesting) {
      fail(context + ": arrays nested deeper than " + std::to_string(kMaxArrayNesting));
    }
    GgufArray array;
    array.elem_type = read_value_type(context + " array element");
    const uint64_t count = read_u64(context + " array length");
    const size_t fixed = gguf_type_size(array.elem_type);
    // Strings need at least their 8-byte length; nested arrays a type and a length.
    const uint64_t min_bytes = fixed != 0 ? fixed : array.elem_type == GgufValueType::STRING ? 8 : 12;
    if (count > (size_ - pos_) / min_bytes) {
      fail(context + ": array of " + std::to_string(count) + " " + gguf_type_name(array.elem_type) +
           " at offset " + std::to_string(pos_) + " runs past end of file (size " +
           std::to_string(size_) + ")");
    }
    array.items.reserve(count);
    for (uint64_t i = 0; i < count; ++i) array.items.push_back(read_value(array.elem_type, context, depth + 1));
    return GgufValue(std::move(array));
  }

  void read_kv() {
    std::string key = read_string("metadata key");
    if (key.empty()) fail("empty metadata key at offset " + std::to_string(pos_ - 8));
    const std::string context = "key '" + key + "'";
    const GgufValueType type = read_value_type(context);
    GgufValue value = read_value(type, context, 0);
    if (!f_.kv_index_.emplace(key, f_.kvs_.size()).second) fail("duplicate key '" + key + "'");
    f_.kvs_.push_back({std::move(key), std::move(value)});
  }

  void read_alignment() {
    const GgufValue* v = f_.find("general.alignment");
    if (v == nullptr) return;
    if (v->type() != GgufValueType::UINT32) {
      fail("general.alignment must be a uint32, got " + gguf_type_name(v->type()));
    }
    const uint64_t a = v->as_u64();
    if (a == 0 || (a & (a - 1)) != 0) {
      fail("general.alignment " + std::to_string(a) + " is not a power of two");
    }
    f_.alignment_ = a;
  }

  void read_tensor_info() {
    GgufTensorInfo t;
    t.name = read_string("tensor name");
    const std::string context = "tensor '" + t.name + "'";
    if (t.name.empty()) fail("empty tensor name at offset " + std::to_string(pos_ - 8));
    t.n_dims = read_u32(context + " n_dims");
    if (t.n_dims == 0 || t.n_dims > kGgufMaxDims) {
      fail(context + " has n_dims " + std::to_string(t.n_dims) + " (must be 1 to 4)");
    }
    for (uint32_t d = 0; d < t.n_dims; ++d) {
      const uint64_t dim = read_u64(context + " dims");
      if (dim == 0 || dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        fail(context + " has invalid dimension " + std::to_string(d) + " = " + std::to_string(dim));
      }
      t.ne[d] = static_cast<int64_t>(dim);
    }
    int64_t n_elements = 1;
    for (int64_t dim : t.ne) {
      if (__builtin_mul_overflow(n_elements, dim, &n_elements)) {
        fail(context + " shape " + t.shape_string() + " element count overflows");
      }
    }
    const uint32_t type_id = read_u32(context + " type");
    const GgmlTypeTraits* traits = find_type_traits(type_id);
    if (traits == nullptr) fail(context + " has unknown tensor type id " + std::to_string(type_id));
    t.type = traits->type;
    if (t.ne[0] % traits->block_size != 0) {
      fail(context + " row length " + std::to_string(t.ne[0]) + " is not a multiple of the " +
           traits->name + " block size " + std::to_string(traits->block_size));
    }
    const uint64_t row_bytes = static_cast<uint64_t>(t.ne[0] / traits->block_size) * traits->type_size;
    if (__builtin_mul_overflow(row_bytes, static_cast<uint64_t>(t.n_rows()), &t.n_bytes)) {
      fail(context + " shape " + t.shape_string() + " byte size overflows");
    }
    t.offset = read_u64(context + " offset");
    if (t.offset % f_.alignment_ != 0) {
      fail(context + " offset " + std::to_string(t.offset) + " is not aligned to " +
           std::to_string(f_.alignment_) + " bytes");
    }
    if (!f_.tensor_index_.emplace(t.name, f_.tensors_.size()).second) {
      fail("duplicate tensor name '" + t.name + "'");
    }
    f_.tensors_.push_back(std::move(t));
  }

  // Bounds of every tensor's data, then overlaps between neighbours in offset order.
  void place_tensors() {
    for (GgufTensorInfo& t : f_.tensors_) {
      uint64_t start = 0, end = 0;
      if (__builtin_add_overflow(f_.data_offset_, t.offset, &start) ||
          __builtin_add_overflow(start, t.n_bytes, &end) || end > size_) {
        fail("tensor '" + t.name + "' data [offset " +
             (start < f_.data_offset_ ? std::string("overflow") : std::to_string(start)) + ", " +
             std::to_string(t.n_bytes) + " bytes] runs past end of file (size " +
             std::to_string(size_) + ")");
      }
      t.data = data_ + start;
    }
    std::vector<const GgufTensorInfo*> by_offset;
    by_offset.reserve(f_.tensors_.size());
    for (const GgufTensorInfo& t : f_.tensors_) by_offset.push_back(&t);
    std::sort(by_offset.begin(), by_offset.end(),
              [](const GgufTensorInfo* a, const GgufTensorInfo* b) { return a->offset < b->offset; });
    for (size_t i = 1; i < by_offset.size(); ++i) {
      const GgufTensorInfo& prev = *by_offset[i - 1];
      const GgufTensorInfo& next = *by_offset[i];
      if (prev.offset + prev.n_bytes > next.offset) {  // both in bounds: no overflow
        fail("tensors '" + prev.name + "' and '" + next.name + "' overlap (offsets " +
             std::to_string(prev.offset) + " + " + std::to_string(prev.n_bytes) + " bytes > " +
             std::to_string(next.offset) + ")");
      }
    }
  }

  GgufFile& f_;
  const uint8_t* data_;  // [size_]
  uint64_t size_;
  uint64_t pos_ = 0;
};

std::string GgufTensorInfo::shape_string() const {
  std::string s = "[";
  for (uint32_t d = 0; d < n_dims; ++d) s += (d ? ", " : "") + std::to_string(ne[d]);
  return s + "]";
}

GgufFile GgufFile::open(const std::filesystem::path& path) {
  GgufFile file;
  file.path_ = path;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(path.string() + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw std::runtime_error(path.string() + ": not a regular file");
  }
  file.size_ = static_cast<uint64_t>(st.st_size);
  if (file.size_ == 0) {
    ::close(fd);
    throw std::runtime_error(path.string() + ": truncated: file is empty");
  }
  void* map = ::mmap(nullptr, file.size_, PROT_READ, MAP_PRIVATE, fd, 0);
  const int map_errno = errno;
  ::close(fd);
  if (map == MAP_FAILED) {
    throw std::runtime_error(path.string() + ": cannot map: " + std::strerror(map_errno));
  }
  file.map_ = static_cast<const uint8_t*>(map);
  GgufParser(file).parse();  // on throw, ~GgufFile unmaps
  return file;
}

GgufFile::GgufFile(GgufFile&& other) noexcept { *this = std::move(other); }

GgufFile& GgufFile::operator=(GgufFile&& other) noexcept {
  if (this != &other) {
    if (map_ != nullptr) ::munmap(const_cast<uint8_t*>(map_), size_);
    path_ = std::move(other.path_);
    map_ = std::exchange(other.map_, nullptr);
    size_ = std::exchange(other.size_, 0);
    version_ = other.version_;
    alignment_ = other.alignment_;
    data_offset_ = other.data_offset_;
    kvs_ = std::move(other.kvs_);
    tensors_ = std::move(other.tensors_);
    kv_index_ = std::move(other.kv_index_);
    tensor_index_ = std::move(other.tensor_index_);
  }
  return *this;
}

GgufFile::~GgufFile() {
  if (map_ != nullptr) ::munmap(const_cast<uint8_t*>(map_), size_);
}

const GgufValue* GgufFile::find(std::string_view key) const {
  auto it = kv_index_.find(key);
  return it == kv_index_.end() ? nullptr : &kvs_[it->second].value;
}

const GgufTensorInfo* GgufFile::find_tensor(std::string_view name) const {
  auto it = tensor_index_.find(name);
  return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

const GgufTensorInfo& GgufFile::tensor(std::string_view name) const {
  if (const GgufTensorInfo* t = find_tensor(name)) return *t;
  throw std::runtime_error(path_.string() + ": missing tensor '" + std::string(name) + "'");
}

const GgufValue& GgufFile::require(std::string_view key) const {
  if (const GgufValue* v = find(key)) return *v;
  throw std::runtime_error(path_.string() + ": missing key '" + std::string(key) + "'");
}

namespace {

uint32_t to_u32(const GgufValue& v) {
  const uint64_t u = v.as_u64();
  if (u > std::numeric_limits<uint32_t>::max()) {
    throw GgufTypeError("value " + std::to_string(u) + " does not fit in uint32");
  }
  return static_cast<uint32_t>(u);
}

const GgufArray& array_of(const GgufValue& v, std::string_view elem_kind, bool (*accepts)(GgufValueType)) {
  const GgufArray& a = v.as_array();
  if (!accepts(a.elem_type)) {
    throw GgufTypeError("expected an array of " + std::string(elem_kind) + ", got an array of " +
                        gguf_type_name(a.elem_type));
  }
  return a;
}

bool is_string_type(GgufValueType t) { return t == GgufValueType::STRING; }
bool is_float_type(GgufValueType t) { return t == GgufValueType::FLOAT32 || t == GgufValueType::FLOAT64; }
bool is_integer_type(GgufValueType t) {
  return t != GgufValueType::FLOAT32 && t != GgufValueType::FLOAT64 && t != GgufValueType::BOOL &&
         t != GgufValueType::STRING && t != GgufValueType::ARRAY;
}

std::vector<std::string> to_string_array(const GgufValue& v) {
  std::vector<std::string> out;
  const GgufArray& a = array_of(v, "string", is_string_type);
  out.reserve(a.items.size());
  for (const GgufValue& item : a.items) out.push_back(item.as_string());
  return out;
}

std::vector<float> to_f32_array(const GgufValue& v) {
  std::vector<float> out;
  const GgufArray& a = array_of(v, "float", is_float_type);
  out.reserve(a.items.size());
  for (const GgufValue& item : a.items) out.push_back(static_cast<float>(item.as_f64()));
  return out;
}

std::vector<int32_t> to_i32_array(const GgufValue& v) {
  std::vector<int32_t> out;
  const GgufArray& a = array_of(v, "integer", is_integer_type);
  out.reserve(a.items.size());
  for (const GgufValue& item : a.items) {
    const int64_t i = item.as_i64();
    if (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()) {
      throw GgufTypeError("array value " + std::to_string(i) + " does not fit in int32");
    }
    out.push_back(static_cast<int32_t>(i));
  }
  return out;
}

// Runs a conversion, turning a GgufTypeError into a message naming the file and key.
template <typename Convert>
auto convert(const GgufFile& file, std::string_view key, const GgufValue& value, Convert c)
    -> decltype(c(value)) {
  try {
    return c(value);
  } catch (const GgufTypeError& e) {
    throw std::runtime_error(file.path().string() + ": key '" + std::string(key) + "': " + e.what());
  }
}

}  // namespace

uint32_t GgufFile::get_u32(std::string_view key) const {
  return convert(*this, key, require(key), to_u32);
}
uint32_t GgufFile::get_u32(std::string_view key, uint32_t fallback) const {
  return find(key) != nullptr ? get_u32(key) : uint32_t(fallback);
}

int64_t GgufFile::get_i64(std::string_view key) const {
  return convert(*this, key, require(key), [](const GgufValue& x) { return x.as_i64(); });
}
int64_t GgufFile::get_i64(std::string_view key, int64_t fallback) const {
  return find(key) != nullptr ? get_i64(key) : int64_t(fallback);
}

float GgufFile::get_f32(std::string_view key) const {
  return convert(*this, key, require(key), [](const GgufValue& x) { return static_cast<float>(x.as_f64()); });
}
float GgufFile::get_f32(std::string_view key, float fallback) const {
  return find(key) != nullptr ? get_f32(key) : float(fallback);
}

bool GgufFile::get_bool(std::string_view key) const {
  return convert(*this, key, require(key), [](const GgufValue& x) { return x.as_bool(); });
}
bool GgufFile::get_bool(std::string_view key, bool fallback) const {
  return find(key) != nullptr ? get_bool(key) : bool(fallback);
}

std::string GgufFile::get_string(std::string_view key) const {
  return convert(*this, key, require(key), [](const GgufValue& x) { return x.as_string(); });
}
std::string GgufFile::get_string(std::string_view key, std::string_view fallback) const {
  return find(key) != nullptr ? get_string(key) : std::string(fallback);
}

std::vector<std::string> GgufFile::get_string_array(std::string_view key) const {
  return convert(*this, key, require(key), to_string_array);
}
std::vector<std::string> GgufFile::get_string_array(std::string_view key, const std::vector<std::string>& fallback) const {
  return find(key) != nullptr ? get_string_array(key) : std::vector<std::string>(fallback);
}

std::vector<float> GgufFile::get_f32_array(std::string_view key) const {
  return convert(*this, key, require(key), to_f32_array);
}
std::vector<float> GgufFile::get_f32_array(std::string_view key, const std::vector<float>& fallback) const {
  return find(key) != nullptr ? get_f32_array(key) : std::vector<float>(fallback);
}

std::vector<int32_t> GgufFile::get_i32_array(std::string_view key) const {
  return convert(*this, key, require(key), to_i32_array);
}
std::vector<int32_t> GgufFile::get_i32_array(std::string_view key, const std::vector<int32_t>& fallback) const {
  return find(key) != nullptr ? get_i32_array(key) : std::vector<int32_t>(fallback);
}


}  // namespace sb::engine
