#pragma once
// A JSON Schema compiled into the node table JsonConstraint walks while it reads output.
//
// Supported keywords (everything else is ignored, so the value is constrained only as far
// as the supported keywords say; a schema with none of them accepts any JSON value):
//   type: "object" | "array" | "string" | "number" | "integer" | "boolean" | "null",
//         or a list of them ("number" includes integers; "integer" allows no fraction
//         or exponent);
//   properties + required: an object with either accepts only the keys they name (as if
//         additionalProperties were false), each at most once, and cannot close before
//         every `required` one is written; a required name missing from `properties`
//         accepts any value; an object with neither accepts any keys;
//   items: the schema of every array element;
//   enum / const: when every member is a string, the string must be one of them;
//         enums with other members constrain nothing.
// Keys and enum strings must be written exactly as json_escape() spells them (no
// optional escapes such as \u0041 for "A"). Objects with more than 64 properties accept
// any keys. `properties` or `required` without `type` imply an object, `items` an array.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sb::engine {

struct JsonValue;

enum JsonTypeBits : uint8_t {
  kJsonNull = 1u << 0,
  kJsonBoolean = 1u << 1,
  kJsonInteger = 1u << 2,
  kJsonNumber = 1u << 3,  // any number; implies kJsonInteger
  kJsonString = 1u << 4,
  kJsonArray = 1u << 5,
  kJsonObject = 1u << 6,
  kJsonAnyType = 0x7F,
};

inline constexpr size_t kMaxSchemaProperties = 64;

struct JsonSchemaNode {
  uint8_t types = kJsonAnyType;
  std::vector<std::string> enum_values;  // escaped string bodies, sorted; empty: any string
  bool closed = false;                   // only property_names may be keys
  std::vector<std::string> property_names;  // escaped, sorted (closed objects only)
  std::vector<int32_t> property_nodes;      // [property_names.size()] value schemas
  uint64_t required = 0;                    // bit i: property_names[i] is required
  int32_t items = 0;                        // node of array elements
  size_t min_length = 1;                    // bytes of the shortest JSON text accepted
};

struct JsonSchema {
  static constexpr int32_t kAnyNode = 0;  // nodes[0] accepts any JSON value
  std::vector<JsonSchemaNode> nodes;
  int32_t root = kAnyNode;

  const JsonSchemaNode& node(int32_t index) const { return nodes[static_cast<size_t>(index)]; }
  // Bytes of `"name":value` for property i of `object` with its shortest value.
  size_t member_length(const JsonSchemaNode& object, size_t i) const {
    return object.property_names[i].size() + 3 + node(object.property_nodes[i]).min_length;
  }

  // Any JSON object (response_format json_object).
  static JsonSchema any_object();
  // Throws std::invalid_argument naming the schema path ("#/properties/age: ...") for a
  // schema that is not an object or boolean true, an unknown type name, malformed
  // properties/required/items, an empty enum, or types no value can satisfy.
  static JsonSchema compile(const JsonValue& schema);
};

}  // namespace sb::engine
