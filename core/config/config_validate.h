#pragma once
// The checks that span sections of policies.yaml: unique names, routes and prices that name
// real models, privacy actions for known finding types, team keys used once. Fails with a
// ConfigError at the offending name (positions from ConfigMarks).
#include "core/config/config.h"
#include "core/config/config_marks.h"
#include "core/config/yaml_reader.h"

namespace sb::config {

void validate_config(const YamlReader& reader, const Config& config, const ConfigMarks& marks);

}  // namespace sb::config
