// routes: section.
#include "core/config/config_sections.h"

namespace sb::config {

namespace {

// Reads an optional list of model names and where each was written.
std::vector<std::string> model_list(const YamlReader& reader, const std::optional<Field>& list,
                                    std::vector<SourceMark>& marks) {
  std::vector<std::string> names;
  if (!list) return names;
  for (const Field& item : reader.items(*list)) {
    names.push_back(reader.string(item));
    marks.push_back(mark_of(item.value));
  }
  return names;
}

RouteConfig parse_route(const YamlReader& reader, const Field& item, ConfigMarks& marks) {
  const MapReader map(reader, item, {"model", "local", "cloud", "difficulty_threshold"});
  RouteConfig route;
  const Field name = map.require("model");
  route.model = reader.string(name);
  marks.route_names.push_back(mark_of(name.value));
  route.local = model_list(reader, map.get("local"), marks.route_local.emplace_back());
  route.cloud = model_list(reader, map.get("cloud"), marks.route_cloud.emplace_back());
  if (route.local.empty() && route.cloud.empty())
    reader.fail(mark_of(item.value), item.path + ": a route needs at least one model in local: or cloud:");
  if (auto f = map.get("difficulty_threshold")) route.difficulty_threshold = reader.number(*f, 0, 1);
  return route;
}

}  // namespace

std::vector<RouteConfig> parse_routes(const YamlReader& reader, const Field& section, ConfigMarks& marks) {
  std::vector<RouteConfig> routes;
  for (const Field& item : reader.items(section)) routes.push_back(parse_route(reader, item, marks));
  return routes;
}

}  // namespace sb::config
