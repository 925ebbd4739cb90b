#include "core/config/config_parse.h"

#include "core/config/config_sections.h"

namespace sb::config {

namespace {

constexpr std::string_view kSqliteInMemory = ":memory:";  // a database name, not a file

std::filesystem::path resolve_against(const std::filesystem::path& base_dir, const std::filesystem::path& path) {
  return path.is_absolute() || base_dir.empty() ? path : base_dir / path;
}

void resolve_relative_paths(Config& config, const std::filesystem::path& base_dir) {
  for (auto& model : config.local_models) model.path = resolve_against(base_dir, model.path);
  if (config.ledger.path != kSqliteInMemory) config.ledger.path = resolve_against(base_dir, config.ledger.path);
}

}  // namespace

ParsedConfig parse_document(const YamlReader& reader, const YAML::Node& root, const std::filesystem::path& base_dir) {
  const MapReader map(reader, Field{root, mark_of(root), ""},
                      {"server", "ledger", "local_models", "providers", "prices", "routes", "privacy", "teams"});
  ParsedConfig parsed;
  Config& config = parsed.config;
  ConfigMarks& marks = parsed.marks;
  marks.root = mark_of(root);
  if (auto f = map.get("server")) config.server = parse_server(reader, *f);
  if (auto f = map.get("ledger")) config.ledger = parse_ledger(reader, *f);
  if (auto f = map.get("local_models")) config.local_models = parse_local_models(reader, *f, marks);
  if (auto f = map.get("providers")) config.providers = parse_providers(reader, *f, marks, config.warnings);
  if (auto f = map.get("prices")) config.prices = parse_prices(reader, *f, marks);
  if (auto f = map.get("routes")) config.routes = parse_routes(reader, *f, marks);
  if (auto f = map.get("privacy")) config.privacy = parse_privacy(reader, *f, marks);
  if (auto f = map.get("teams")) config.teams = parse_teams(reader, *f, marks);
  resolve_relative_paths(config, base_dir);
  return parsed;
}

}  // namespace sb::config
