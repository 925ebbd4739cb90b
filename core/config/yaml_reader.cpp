#include "core/config/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/config/env_reference_shield.h"

namespace sb::config {

namespace {

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: {
      std::string quoted = "'";  // built by appending: GCC 12 warns falsely on "'" + string
      quoted += unshield_env_references(node.Scalar());
      return quoted += "'";
    }
    default: return "nothing";
  }
}

// "in server" / "at the top level".
std::string inside(const std::string& path) { return path.empty() ? "at the top level" : "in " + path; }

// Shortest text that reads back as `v` (0.5, 1, 1e+20).
std::string format_number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

template <class T>
std::string range_text(T min, T max, std::string (*format)(T)) {
  if (max == std::numeric_limits<T>::max()) return "at least " + format(min);
  return "between " + format(min) + " and " + format(max);
}

std::string format_integer(int64_t v) { return std::to_string(v); }

}  // namespace

SourceMark mark_of(const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  if (m.line < 0 || m.column < 0) return {};
  return {m.line + 1, m.column + 1};
}

std::string join_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

YamlReader::YamlReader(std::string file, EnvLookup env) : file_(std::move(file)), env_(std::move(env)) {}

void YamlReader::fail(SourceMark at, const std::string& message) const {
  throw ConfigError(file_, at.line, at.col, message);
}

void YamlReader::fail(const Field& field, const std::string& message) const {
  const bool has_value = field.value.IsDefined() && !field.value.IsNull();
  fail(has_value ? mark_of(field.value) : field.key, message);
}

void YamlReader::require_scalar(const Field& field, std::string_view expected) const {
  if (!field.value.IsDefined() || field.value.IsNull()) fail(field, field.path + ": missing value");
  if (!field.value.IsScalar())
    fail(field, field.path + ": expected " + std::string(expected) + ", got " + describe(field.value));
}

Expansion YamlReader::expand(const Field& field) const {
  require_scalar(field, "a string");
  try {
    return expand_env(unshield_env_references(field.value.Scalar()), env_);
  } catch (const std::invalid_argument& e) {
    fail(field, field.path + ": " + e.what());
  }
}

std::string YamlReader::string(const Field& field, Empty empty, UnsetVariables* unset) const {
  Expansion e = expand(field);
  if (!e.unset.empty()) {
    if (!unset) fail(field, "environment variable " + e.unset.front() + " is not set");
    for (auto& name : e.unset)
      if (std::find(unset->begin(), unset->end(), name) == unset->end()) unset->push_back(std::move(name));
    return e.text;
  }
  if (empty == Empty::Rejected && e.text.empty()) fail(field, field.path + ": must not be empty");
  return e.text;
}

std::vector<std::string> YamlReader::string_list(const Field& field, UnsetVariables* unset) const {
  std::vector<std::string> out;
  for (const Field& item : items(field)) out.push_back(string(item, Empty::Rejected, unset));
  return out;
}

std::string YamlReader::plain_scalar(const Field& field, std::string_view expected) const {
  require_scalar(field, expected);
  if (field.value.Tag() != "?")
    fail(field, field.path + ": expected " + std::string(expected) + ", got the quoted string " +
                    describe(field.value));
  return string(field);
}

int64_t YamlReader::integer(const Field& field, int64_t min, int64_t max) const {
  const std::string text = plain_scalar(field, "an integer");
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    fail(field, field.path + ": expected an integer, got '" + text + "'");
  if (value < min || value > max)
    fail(field, field.path + ": must be " + range_text(min, max, format_integer) + ", got " + text);
  return value;
}

double YamlReader::number(const Field& field, double min, double max) const {
  const std::string text = plain_scalar(field, "a number");
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    fail(field, field.path + ": expected a number, got '" + text + "'");
  if (value < min || value > max)
    fail(field, field.path + ": must be " + range_text(min, max, format_number) + ", got " + text);
  return value;
}

bool YamlReader::boolean(const Field& field) const {
  const std::string text = plain_scalar(field, "true or false");
  if (text == "true") return true;
  if (text == "false") return false;
  fail(field, field.path + ": expected true or false, got '" + text + "'");
}

std::vector<Field> YamlReader::items(const Field& field) const {
  if (!field.value.IsDefined() || field.value.IsNull()) fail(field, field.path + ": missing value");
  if (!field.value.IsSequence()) fail(field, field.path + ": expected a list, got " + describe(field.value));
  std::vector<Field> out;
  for (size_t i = 0; i < field.value.size(); ++i) {
    const YAML::Node item = field.value[i];
    out.push_back({item, mark_of(item), field.path + "[" + std::to_string(i) + "]"});
  }
  return out;
}

MapReader::MapReader(const YamlReader& reader, const Field& map) : reader_(reader), map_(map) {
  if (!map.value.IsDefined() || map.value.IsNull()) reader.fail(map, map.path + ": missing value");
  if (!map.value.IsMap()) reader.fail(map, map.path + ": expected a map, got " + describe(map.value));
  for (auto it = map.value.begin(); it != map.value.end(); ++it) {
    const SourceMark key_mark = mark_of(it->first);
    if (!it->first.IsScalar()) reader.fail(key_mark, "keys " + inside(map.path) + " must be names, got " + describe(it->first));
    std::string key = unshield_env_references(it->first.Scalar());
    if (get(key)) reader.fail(key_mark, "duplicate key '" + key + "' " + inside(map.path));
    Field field{it->second, key_mark, join_path(map.path, key)};
    entries_.push_back({std::move(key), std::move(field)});
  }
}

MapReader::MapReader(const YamlReader& reader, const Field& map, std::initializer_list<std::string_view> allowed)
    : MapReader(reader, map) {
  for (const Entry& entry : entries_) {
    if (std::find(allowed.begin(), allowed.end(), entry.key) != allowed.end()) continue;
    std::string expected;
    for (std::string_view name : allowed) expected += (expected.empty() ? "" : ", ") + std::string(name);
    reader.fail(entry.field.key,
                "unknown key '" + entry.key + "' " + inside(map.path) + " (expected one of: " + expected + ")");
  }
}

MapReader MapReader::any_keys(const YamlReader& reader, const Field& map) { return MapReader(reader, map); }

std::optional<Field> MapReader::get(std::string_view key) const {
  for (const Entry& entry : entries_)
    if (entry.key == key) return entry.field;
  return std::nullopt;
}

Field MapReader::require(std::string_view key) const {
  if (auto field = get(key)) return *field;
  reader_.fail(mark_of(map_.value), map_.path + ": missing required key '" + std::string(key) + "'");
}

}  // namespace sb::config
