#pragma once
// One GGUF metadata value: a scalar, a string, or a typed array of any of these
// (arrays of arrays included). Values own their data; a GgufFile builds them while
// parsing and a GgufWriter serializes them.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sb::engine {

// The on-disk ids of the GGUF spec.
enum class GgufValueType : uint32_t {
  UINT8 = 0,
  INT8 = 1,
  UINT16 = 2,
  INT16 = 3,
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
  INT64 = 11,
  FLOAT64 = 12,
};

// "uint32", "string", "array", ...; "type 99" for ids outside the spec.
std::string gguf_type_name(GgufValueType type);
// Bytes of one element of a fixed-size type; 0 for STRING and ARRAY.
size_t gguf_type_size(GgufValueType type);

class GgufValue;

// Every item has type elem_type (for ARRAY items: any array).
struct GgufArray {
  GgufValueType elem_type = GgufValueType::UINT8;
  std::vector<GgufValue> items;
};

class GgufValue {
 public:
  GgufValue() : data_(uint8_t{0}) {}
  GgufValue(uint8_t v) : data_(v) {}
  GgufValue(int8_t v) : data_(v) {}
  GgufValue(uint16_t v) : data_(v) {}
  GgufValue(int16_t v) : data_(v) {}
  GgufValue(uint32_t v) : data_(v) {}
  GgufValue(int32_t v) : data_(v) {}
  GgufValue(uint64_t v) : data_(v) {}
  GgufValue(int64_t v) : data_(v) {}
  GgufValue(float v) : data_(v) {}
  GgufValue(double v) : data_(v) {}
  GgufValue(bool v) : data_(v) {}
  GgufValue(std::string v) : data_(std::move(v)) {}
  GgufValue(const char* v) : data_(std::string(v)) {}
  // Throws std::invalid_argument when an item's type differs from elem_type.
  GgufValue(GgufArray v);

  static GgufValue string_array(const std::vector<std::string>& items);
  static GgufValue f32_array(const std::vector<float>& items);
  static GgufValue i32_array(const std::vector<int32_t>& items);

  GgufValueType type() const;
  bool is_integer() const;  // UINT8..INT64, not BOOL

  // Typed reads. They throw GgufTypeError ("expected an integer, got string") on a
  // wrong type or a value that does not fit; GgufFile's getters add file and key.
  bool as_bool() const;
  int64_t as_i64() const;    // any integer type whose value fits
  uint64_t as_u64() const;   // any integer type whose value is >= 0
  double as_f64() const;     // FLOAT32 or FLOAT64
  const std::string& as_string() const;
  const GgufArray& as_array() const;

  // Short human rendering for dumps: scalars in full, arrays as "[type x N]".
  std::string to_display_string() const;

  bool operator==(const GgufValue& other) const;

 private:
  std::variant<uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, float, bool,
               std::string, GgufArray, uint64_t, int64_t, double>
      data_;  // alternative index == GgufValueType id
};

bool operator==(const GgufArray& a, const GgufArray& b);

class GgufTypeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sb::engine
