#pragma once
// Typed, strict reads out of yaml-cpp nodes. Every failure is a ConfigError at the node:
// the value for a bad value, the key for an unknown key or a missing (null) value.
// Messages name the field by its path, e.g. "providers[0].timeout_ms: must be at least 1, got 0".
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/config.h"
#include "core/config/config_enums.h"
#include "core/config/config_marks.h"
#include "core/config/env_expand.h"

namespace sb::config {

// A value with where it sits: its node, the mark of its key (the value's own mark for a
// list item) and its path.
struct Field {
  YAML::Node value;
  SourceMark key;
  std::string path;
};

SourceMark mark_of(const YAML::Node& node);

enum class Empty { Allowed, Rejected };

// Variables a provider's strings use that are not set (the provider is then disabled).
using UnsetVariables = std::vector<std::string>;

class YamlReader {
 public:
  YamlReader(std::string file, EnvLookup env);
  const std::string& file() const { return file_; }

  [[noreturn]] void fail(SourceMark at, const std::string& message) const;
  // At the value, or at its key when the value is null (yaml-cpp marks a null after the key).
  [[noreturn]] void fail(const Field& field, const std::string& message) const;

  // A scalar with ${VAR} expanded. An unset variable fails, unless `unset` is given: then it
  // is appended there and expands to "" (and the emptiness check is skipped).
  std::string string(const Field& field, Empty empty = Empty::Rejected, UnsetVariables* unset = nullptr) const;
  // The raw expansion, for callers that give unset variables their own meaning.
  Expansion expand(const Field& field) const;
  std::vector<std::string> string_list(const Field& field, UnsetVariables* unset = nullptr) const;

  // Plain (unquoted) scalars only; ${VAR} is expanded first and must be set.
  int64_t integer(const Field& field, int64_t min, int64_t max = std::numeric_limits<int64_t>::max()) const;
  double number(const Field& field, double min, double max = std::numeric_limits<double>::max()) const;
  bool boolean(const Field& field) const;

  template <class E, size_t N>
  E choice(const Field& field, const std::array<EnumName<E>, N>& table) const {
    const std::string text = string(field);
    if (auto value = parse_enum(table, text)) return *value;
    fail(field, field.path + ": unknown value '" + text + "' (expected one of: " + enum_names(table) + ")");
  }

  // The items of a list, with paths "path[i]".
  std::vector<Field> items(const Field& field) const;

 private:
  std::string plain_scalar(const Field& field, std::string_view expected) const;
  void require_scalar(const Field& field, std::string_view expected) const;

  std::string file_;
  EnvLookup env_;
};

// A YAML map whose keys are checked on construction: each a scalar, none twice, and (unless
// built with any_keys) each one of `allowed`.
class MapReader {
 public:
  struct Entry {
    std::string key;
    Field field;
  };

  MapReader(const YamlReader& reader, const Field& map, std::initializer_list<std::string_view> allowed);
  // Free-form keys (prices, privacy actions): the caller checks them.
  static MapReader any_keys(const YamlReader& reader, const Field& map);

  std::optional<Field> get(std::string_view key) const;
  Field require(std::string_view key) const;  // fails at the map when absent
  const std::vector<Entry>& entries() const { return entries_; }
  const Field& self() const { return map_; }

 private:
  MapReader(const YamlReader& reader, const Field& map);

  const YamlReader& reader_;
  Field map_;
  std::vector<Entry> entries_;
};

// "a.b" / "b" when `path` is empty.
std::string join_path(const std::string& path, std::string_view key);

}  // namespace sb::config
