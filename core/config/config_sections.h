#pragma once
// One parser per top-level section of policies.yaml. Each checks the shapes, types and
// ranges inside its section and records in ConfigMarks where names were written;
// references between sections are checked afterwards by validate_config(). File paths are
// kept as written (parse_document resolves them against the config file's folder).
#include <map>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/config/config_marks.h"
#include "core/config/yaml_reader.h"

namespace sb::config {

ServerConfig parse_server(const YamlReader& reader, const Field& section);
LedgerConfig parse_ledger(const YamlReader& reader, const Field& section);
std::vector<LocalModelConfig> parse_local_models(const YamlReader& reader, const Field& section, ConfigMarks& marks);
// Appends one line to `warnings` per provider disabled for an unset variable.
std::vector<ProviderConfig> parse_providers(const YamlReader& reader, const Field& section, ConfigMarks& marks,
                                            std::vector<std::string>& warnings);
std::map<std::string, Price> parse_prices(const YamlReader& reader, const Field& section, ConfigMarks& marks);
std::vector<RouteConfig> parse_routes(const YamlReader& reader, const Field& section, ConfigMarks& marks);
PrivacyConfig parse_privacy(const YamlReader& reader, const Field& section, ConfigMarks& marks);
std::vector<TeamConfig> parse_teams(const YamlReader& reader, const Field& section, ConfigMarks& marks);

}  // namespace sb::config
