// privacy: and teams: sections.
#include <algorithm>

#include "core/config/config_sections.h"
#include "core/config/team_key.h"

namespace sb::config {

namespace {

bool is_finding_type_name(std::string_view name) {
  auto upper_or_digit = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
  return !name.empty() && name.front() >= 'A' && name.front() <= 'Z' && std::all_of(name.begin(), name.end(), upper_or_digit);
}

// finding type -> action; the types are checked by validate_config().
std::map<std::string, PrivacyAction> parse_actions(const YamlReader& reader, const Field& section,
                                                   std::map<std::string, SourceMark>& type_marks) {
  std::map<std::string, PrivacyAction> actions;
  const MapReader map = MapReader::any_keys(reader, section);
  for (const auto& [type, field] : map.entries()) {
    actions[type] = reader.choice(field, kPrivacyActionNames);
    type_marks[type] = field.key;
  }
  return actions;
}

CustomDetectorConfig parse_detector(const YamlReader& reader, const Field& item, ConfigMarks& marks) {
  const MapReader map(reader, item, {"name", "regex", "keywords"});
  CustomDetectorConfig detector;
  const Field name = map.require("name");
  detector.name = reader.string(name);
  if (!is_finding_type_name(detector.name))
    reader.fail(name, name.path + ": finding type names are UPPER_SNAKE_CASE, got '" + detector.name + "'");
  marks.detector_names.push_back(mark_of(name.value));
  const std::optional<Field> regex = map.get("regex"), keywords = map.get("keywords");
  if (regex.has_value() == keywords.has_value())
    reader.fail(mark_of(item.value), item.path + ": needs exactly one of regex: or keywords:");
  if (regex) detector.regex = reader.string(*regex);
  if (keywords) {
    detector.keywords = reader.string_list(*keywords);
    if (detector.keywords.empty()) reader.fail(*keywords, keywords->path + ": must list at least one keyword");
  }
  return detector;
}

Budget parse_budget(const YamlReader& reader, const Field& section) {
  const MapReader map(reader, section, {"daily_usd", "monthly_usd"});
  Budget budget;
  if (auto f = map.get("daily_usd")) budget.daily_usd = reader.number(*f, 0);
  if (auto f = map.get("monthly_usd")) budget.monthly_usd = reader.number(*f, 0);
  return budget;
}

RateLimit parse_rate_limit(const YamlReader& reader, const Field& section) {
  const MapReader map(reader, section, {"rpm", "tpm"});
  RateLimit limit;
  if (auto f = map.get("rpm")) limit.rpm = reader.integer(*f, 1);
  if (auto f = map.get("tpm")) limit.tpm = reader.integer(*f, 1);
  return limit;
}

TeamPrivacy parse_team_privacy(const YamlReader& reader, const Field& section,
                               std::map<std::string, SourceMark>& type_marks) {
  const MapReader map(reader, section, {"default", "actions"});
  TeamPrivacy privacy;
  if (auto f = map.get("default")) privacy.default_action = reader.choice(*f, kPrivacyActionNames);
  if (auto f = map.get("actions")) privacy.actions = parse_actions(reader, *f, type_marks);
  return privacy;
}

TeamConfig parse_team(const YamlReader& reader, const Field& item, ConfigMarks& marks) {
  const MapReader map(reader, item, {"name", "keys", "budget", "rate_limit", "privacy"});
  TeamConfig team;
  const Field name = map.require("name");
  team.name = reader.string(name);
  marks.team_names.push_back(mark_of(name.value));
  const Field keys = map.require("keys");
  auto& key_marks = marks.team_keys.emplace_back();
  for (const Field& key : reader.items(keys)) {
    try {
      team.key_hashes.push_back(parse_team_key(reader.string(key)));
    } catch (const std::invalid_argument& e) {
      reader.fail(key, key.path + ": " + e.what());
    }
    key_marks.push_back(mark_of(key.value));
  }
  if (team.key_hashes.empty()) reader.fail(keys, keys.path + ": must list at least one key");
  if (auto f = map.get("budget")) team.budget = parse_budget(reader, *f);
  if (auto f = map.get("rate_limit")) team.rate_limit = parse_rate_limit(reader, *f);
  auto& type_marks = marks.team_action_types.emplace_back();
  if (auto f = map.get("privacy")) team.privacy = parse_team_privacy(reader, *f, type_marks);
  return team;
}

}  // namespace

PrivacyConfig parse_privacy(const YamlReader& reader, const Field& section, ConfigMarks& marks) {
  const MapReader map(reader, section, {"custom", "actions"});
  PrivacyConfig privacy;
  if (auto f = map.get("custom"))
    for (const Field& item : reader.items(*f)) privacy.custom.push_back(parse_detector(reader, item, marks));
  if (auto f = map.get("actions")) privacy.actions = parse_actions(reader, *f, marks.action_types);
  return privacy;
}

std::vector<TeamConfig> parse_teams(const YamlReader& reader, const Field& section, ConfigMarks& marks) {
  std::vector<TeamConfig> teams;
  for (const Field& item : reader.items(section)) teams.push_back(parse_team(reader, item, marks));
  return teams;
}

}  // namespace sb::config
