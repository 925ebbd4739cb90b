#include "local_engine/gguf_value.h"

#include <limits>
#include <sstream>

namespace sb::engine {
namespace {

constexpr const char* kTypeNames[] = {"uint8", "int8",   "uint16", "int16",  "uint32",
                                      "int32", "float32", "bool",  "string", "array",
                                      "uint64", "int64",  "float64"};

[[noreturn]] void type_error(const char* expected, GgufValueType got) {
  throw GgufTypeError(std::string("expected ") + expected + ", got " + gguf_type_name(got));
}

}  // namespace

std::string gguf_type_name(GgufValueType type) {
  const auto id = static_cast<uint32_t>(type);
  if (id < std::size(kTypeNames)) return kTypeNames[id];
  return "type " + std::to_string(id);
}

size_t gguf_type_size(GgufValueType type) {
  switch (type) {
    case GgufValueType::UINT8:
    case GgufValueType::INT8:
    case GgufValueType::BOOL:
      return 1;
    case GgufValueType::UINT16:
    case GgufValueType::INT16:
      return 2;
    case GgufValueType::UINT32:
    case GgufValueType::INT32:
    case GgufValueType::FLOAT32:
      return 4;
    case GgufValueType::UINT64:
    case GgufValueType::INT64:
    case GgufValueType::FLOAT64:
      return 8;
    case GgufValueType::STRING:
    case GgufValueType::ARRAY:
      return 0;
  }
  return 0;
}

GgufValue::GgufValue(GgufArray v) {
  for (const GgufValue& item : v.items) {
    if (item.type() != v.elem_type) {
      throw std::invalid_argument("GGUF array of " + gguf_type_name(v.elem_type) + " holds a " +
                                  gguf_type_name(item.type()));
    }
  }
  data_ = std::move(v);
}

GgufValue GgufValue::string_array(const std::vector<std::string>& items) {
  GgufArray array{GgufValueType::STRING, {}};
  array.items.reserve(items.size());
  for (const auto& s : items) array.items.emplace_back(s);
  return GgufValue(std::move(array));
}

GgufValue GgufValue::f32_array(const std::vector<float>& items) {
  GgufArray array{GgufValueType::FLOAT32, {}};
  array.items.reserve(items.size());
  for (float f : items) array.items.emplace_back(f);
  return GgufValue(std::move(array));
}

GgufValue GgufValue::i32_array(const std::vector<int32_t>& items) {
  GgufArray array{GgufValueType::INT32, {}};
  array.items.reserve(items.size());
  for (int32_t i : items) array.items.emplace_back(i);
  return GgufValue(std::move(array));
}

GgufValueType GgufValue::type() const { return static_cast<GgufValueType>(data_.index()); }

bool GgufValue::is_integer() const {
  switch (type()) {
    case GgufValueType::UINT8:
    case GgufValueType::INT8:
    case GgufValueType::UINT16:
    case GgufValueType::INT16:
    case GgufValueType::UINT32:
    case GgufValueType::INT32:
    case GgufValueType::UINT64:
    case GgufValueType::INT64:
      return true;
    default:
      return false;
  }
}

bool GgufValue::as_bool() const {
  if (const bool* b = std::get_if<bool>(&data_)) return *b;
  type_error("bool", type());
}

int64_t GgufValue::as_i64() const {
  if (const uint64_t* u = std::get_if<uint64_t>(&data_)) {
    if (*u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      throw GgufTypeError("value " + std::to_string(*u) + " does not fit in int64");
    }
    return static_cast<int64_t>(*u);
  }
  if (!is_integer()) type_error("an integer", type());
  return std::visit(
      [](const auto& v) -> int64_t {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_integral_v<V> && !std::is_same_v<V, bool>) {
          return static_cast<int64_t>(v);
        } else {
          return 0;  // unreachable: is_integer() checked above
        }
      },
      data_);
}

uint64_t GgufValue::as_u64() const {
  if (const uint64_t* u = std::get_if<uint64_t>(&data_)) return *u;
  const int64_t v = as_i64();
  if (v < 0) throw GgufTypeError("value " + std::to_string(v) + " is negative");
  return static_cast<uint64_t>(v);
}

double GgufValue::as_f64() const {
  if (const float* f = std::get_if<float>(&data_)) return *f;
  if (const double* d = std::get_if<double>(&data_)) return *d;
  type_error("a float", type());
}

const std::string& GgufValue::as_string() const {
  if (const std::string* s = std::get_if<std::string>(&data_)) return *s;
  type_error("string", type());
}

const GgufArray& GgufValue::as_array() const {
  if (const GgufArray* a = std::get_if<GgufArray>(&data_)) return *a;
  type_error("array", type());
}

std::string GgufValue::to_display_string() const {
  std::ostringstream out;
  switch (type()) {
    case GgufValueType::BOOL:
      out << (as_bool() ? "true" : "false");
      break;
    case GgufValueType::FLOAT32:
    case GgufValueType::FLOAT64:
      out << as_f64();
      break;
    case GgufValueType::STRING:
      out << '"' << as_string() << '"';
      break;
    case GgufValueType::ARRAY:
      out << '[' << gguf_type_name(as_array().elem_type) << " x " << as_array().items.size() << ']';
      break;
    case GgufValueType::UINT64:
      out << as_u64();
      break;
    default:
      out << as_i64();
      break;
  }
  return out.str();
}

bool GgufValue::operator==(const GgufValue& other) const { return data_ == other.data_; }

bool operator==(const GgufArray& a, const GgufArray& b) {
  return a.elem_type == b.elem_type && a.items == b.items;
}

}  // namespace sb::engine
