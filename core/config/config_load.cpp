// parse_config / load_config: text -> YAML -> sections -> cross-checks.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/config/config.h"
#include "core/config/config_parse.h"
#include "core/config/config_validate.h"
#include "core/config/env_reference_shield.h"

namespace sb::config {

namespace {

// 1-based line and column (in bytes) of `offset`.
SourceMark mark_at(std::string_view text, size_t offset) {
  const std::string_view before = text.substr(0, offset);
  const size_t line_start = before.rfind('\n');
  const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  const int col = 1 + static_cast<int>(line_start == std::string_view::npos ? offset : offset - line_start - 1);
  return {line, col};
}

YAML::Node load_single_document(const std::string& yaml_text, const std::string& file_name) {
  if (auto bad = first_control_character(yaml_text)) {
    const SourceMark at = mark_at(yaml_text, *bad);
    char code[8];
    std::snprintf(code, sizeof code, "0x%02x", static_cast<unsigned char>(yaml_text[*bad]));
    throw ConfigError(file_name, at.line, at.col, std::string("control character ") + code + " is not allowed");
  }
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(shield_env_references(yaml_text));
  } catch (const YAML::Exception& e) {  // syntax errors, with yaml-cpp's mark
    if (e.mark.is_null()) throw ConfigError(file_name, e.msg);
    throw ConfigError(file_name, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  if (documents.empty() || documents.front().IsNull()) throw ConfigError(file_name, "the configuration is empty");
  if (documents.size() > 1) {
    const SourceMark at = mark_of(documents[1]);
    throw ConfigError(file_name, at.line, at.col, "only one YAML document is allowed");
  }
  const YAML::Node& root = documents.front();
  if (!root.IsMap()) {
    const SourceMark at = mark_of(root);
    throw ConfigError(file_name, at.line, at.col,
                      std::string("the top level must be a map of sections (server, providers, ...), got ") +
                          (root.IsSequence() ? "a list" : "a single value"));
  }
  return root;
}

}  // namespace

Config parse_config(const std::string& yaml_text, const std::string& file_name, const EnvLookup& env) {
  const YAML::Node root = load_single_document(yaml_text, file_name);
  const YamlReader reader(file_name, env);
  ParsedConfig parsed = parse_document(reader, root, std::filesystem::path(file_name).parent_path());
  validate_config(reader, parsed.config, parsed.marks);
  parsed.config.source = file_name;
  return std::move(parsed.config);
}

Config load_config(const std::filesystem::path& path, const EnvLookup& env) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ConfigError(path.string(), "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path.string(), std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError(path.string(), "cannot read the file");
  return parse_config(text.str(), path.string(), env);
}

}  // namespace sb::config
