#pragma once
// A small JSON document model for reading JSON Schemas inside the engine (which links no
// JSON library). Strict RFC 8259: one value, no trailing text, strings must be valid
// UTF-8, \u escapes must pair surrogates, nesting is limited to kMaxJsonDepth.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::engine {

inline constexpr int kMaxJsonDepth = 64;

struct JsonValue {
  enum class Type { Null, Boolean, Number, String, Array, Object };

  Type type = Type::Null;
  bool boolean = false;
  double number = 0.0;
  std::string string;                                     // decoded UTF-8
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> object;  // in document order

  // The member named `key` of an object (the last one if repeated); nullptr if absent
  // or not an object.
  const JsonValue* find(std::string_view key) const;
};

// Throws std::invalid_argument("invalid JSON at byte N: ...").
JsonValue parse_json(std::string_view text);

// `utf8` as the body of a JSON string (no quotes): " \ and control characters escaped
// (\n, \t, ... or \u00XX), everything else kept as is.
std::string json_escape(std::string_view utf8);

}  // namespace sb::engine
