#include "local_engine/json_schema.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "local_engine/json_value.h"

namespace sb::engine {
namespace {

using Type = JsonValue::Type;

uint8_t type_bit(const std::string& name, const std::string& path) {
  static const std::map<std::string, uint8_t, std::less<>> kTypes = {
      {"null", kJsonNull},     {"boolean", kJsonBoolean}, {"integer", kJsonInteger},
      {"number", kJsonNumber | kJsonInteger}, {"string", kJsonString}, {"array", kJsonArray},
      {"object", kJsonObject}};
  const auto it = kTypes.find(name);
  if (it == kTypes.end()) throw std::invalid_argument(path + ": unknown type '" + name + "'");
  return it->second;
}

class Compiler {
 public:
  JsonSchema run(const JsonValue& root) {
    schema_.nodes.push_back({});  // kAnyNode
    schema_.nodes[0].min_length = 1;
    schema_.root = add(root, "#");
    return std::move(schema_);
  }

 private:
  [[noreturn]] static void fail(const std::string& path, const std::string& what) {
    throw std::invalid_argument("JSON schema " + path + ": " + what);
  }

  int32_t add(const JsonValue& s, const std::string& path) {
    if (s.type == Type::Boolean) {
      if (!s.boolean) fail(path, "the schema false accepts no value");
      return JsonSchema::kAnyNode;
    }
    if (s.type != Type::Object) fail(path, "a schema must be an object or a boolean");
    JsonSchemaNode node;
    node.types = types_of(s, path);
    read_enum(s, path, node);
    if (node.types & kJsonObject) read_properties(s, path, node);
    if (const JsonValue* items = s.find("items"); items && (node.types & kJsonArray) && items->type != Type::Array)
      node.items = add(*items, path + "/items");
    node.min_length = shortest(node);
    schema_.nodes.push_back(std::move(node));
    return static_cast<int32_t>(schema_.nodes.size() - 1);
  }

  static uint8_t types_of(const JsonValue& s, const std::string& path) {
    const JsonValue* type = s.find("type");
    if (type == nullptr) {
      if (s.find("properties") || s.find("required")) return kJsonObject;
      if (s.find("items")) return kJsonArray;
      return kJsonAnyType;
    }
    if (type->type == Type::String) return type_bit(type->string, path + "/type");
    if (type->type != Type::Array || type->array.empty())
      fail(path + "/type", "must be a type name or a non-empty list of them");
    uint8_t bits = 0;
    for (const JsonValue& name : type->array) {
      if (name.type != Type::String) fail(path + "/type", "must list type names");
      bits |= type_bit(name.string, path + "/type");
    }
    return bits;
  }

  static void read_enum(const JsonValue& s, const std::string& path, JsonSchemaNode& node) {
    std::vector<const JsonValue*> members;
    if (const JsonValue* e = s.find("enum")) {
      if (e->type != Type::Array || e->array.empty()) fail(path + "/enum", "must be a non-empty array");
      for (const JsonValue& m : e->array) members.push_back(&m);
    } else if (const JsonValue* c = s.find("const")) {
      members.push_back(c);
    }
    const bool all_strings = !members.empty() && std::all_of(members.begin(), members.end(), [](const JsonValue* m) {
      return m->type == Type::String;
    });
    if (!all_strings) return;  // only string enums are enforced
    if (!(node.types & kJsonString)) fail(path, "enum of strings but type excludes string");
    node.types = kJsonString;
    for (const JsonValue* m : members) node.enum_values.push_back(json_escape(m->string));
    std::sort(node.enum_values.begin(), node.enum_values.end());
    node.enum_values.erase(std::unique(node.enum_values.begin(), node.enum_values.end()), node.enum_values.end());
  }

  void read_properties(const JsonValue& s, const std::string& path, JsonSchemaNode& node) {
    const JsonValue* properties = s.find("properties");
    const JsonValue* required = s.find("required");
    if (properties && properties->type != Type::Object) fail(path + "/properties", "must be an object");
    if (required && required->type != Type::Array) fail(path + "/required", "must be an array of names");
    if (!properties && !required) return;
    std::map<std::string, int32_t> by_name;  // escaped name -> value node
    if (properties)
      for (const auto& [name, schema] : properties->object)
        by_name[json_escape(name)] = add(schema, path + "/properties/" + name);
    std::vector<std::string> required_names;
    if (required)
      for (const JsonValue& name : required->array) {
        if (name.type != Type::String) fail(path + "/required", "must be an array of names");
        required_names.push_back(json_escape(name.string));
        by_name.emplace(required_names.back(), JsonSchema::kAnyNode);
      }
    if (by_name.size() > kMaxSchemaProperties) return;  // too many to track: any keys
    node.closed = true;
    for (const auto& [name, value] : by_name) {
      const bool is_required =
          std::find(required_names.begin(), required_names.end(), name) != required_names.end();
      if (is_required) node.required |= uint64_t{1} << node.property_names.size();
      node.property_names.push_back(name);
      node.property_nodes.push_back(value);
    }
  }

  size_t shortest(const JsonSchemaNode& node) const {
    size_t best = SIZE_MAX;
    const auto consider = [&](uint8_t bit, size_t length) {
      if (node.types & bit) best = std::min(best, length);
    };
    consider(kJsonInteger, 1);
    consider(kJsonNull, 4);
    consider(kJsonBoolean, 4);
    consider(kJsonArray, 2);
    if (node.types & kJsonString) {
      size_t body = 0;
      if (!node.enum_values.empty()) {
        body = SIZE_MAX;
        for (const std::string& v : node.enum_values) body = std::min(body, v.size());
      }
      consider(kJsonString, 2 + body);
    }
    if (node.types & kJsonObject) {
      size_t length = 2, members = 0;
      for (size_t i = 0; i < node.property_names.size(); ++i) {
        if (!((node.required >> i) & 1)) continue;
        length += schema_.member_length(node, i);
        ++members;
      }
      consider(kJsonObject, length + (members > 0 ? members - 1 : 0));
    }
    return best;
  }

  JsonSchema schema_;
};

}  // namespace

JsonSchema JsonSchema::any_object() {
  JsonSchema schema;
  schema.nodes.resize(2);
  schema.nodes[1].types = kJsonObject;
  schema.nodes[1].min_length = 2;
  schema.root = 1;
  return schema;
}

JsonSchema JsonSchema::compile(const JsonValue& schema) { return Compiler().run(schema); }

}  // namespace sb::engine
