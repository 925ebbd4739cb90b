#pragma once
// policies.yaml's root map -> Config, section by section (config_sections.h), then
// relative file paths resolved against the config file's folder.
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "core/config/config.h"
#include "core/config/config_marks.h"
#include "core/config/yaml_reader.h"

namespace sb::config {

struct ParsedConfig {
  Config config;
  ConfigMarks marks;
};

// `root` must be a map. `base_dir` may be empty (paths are then kept as written).
ParsedConfig parse_document(const YamlReader& reader, const YAML::Node& root, const std::filesystem::path& base_dir);

}  // namespace sb::config
