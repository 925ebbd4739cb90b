#include "policies/decision/privacy_verdict.h"

#include <algorithm>

namespace sb::policies {
namespace {

using config::PrivacyAction;

PrivacyAction action_for(const std::string& type, const config::TeamConfig& team, const config::Config& config) {
  if (auto it = team.privacy.actions.find(type); it != team.privacy.actions.end()) return it->second;
  if (auto it = config.privacy.actions.find(type); it != config.privacy.actions.end()) return it->second;
  return default_action(type);
}

// Scans one text. Overlapping findings are resolved for redaction, but each kept span takes
// the strictest action of every finding it covers; in text that cannot be redacted, redact
// becomes local_only. Actions are looked up once per type, and the findings kept are moved,
// not copied: a PII-dense text has dozens.
void scan_text(std::string_view text, FindingLocation where, const PrivacyScanner& scanner,
               const config::TeamConfig& team, const config::Config& config, PrivacyVerdict& verdict) {
  if (text.empty()) return;
  std::vector<Finding> all = scanner.scan_all(text);
  // An empty span covers no text (no detector reports one; the binary search below needs
  // the kept spans' ends in order, which empty spans could break).
  std::erase_if(all, [](const Finding& f) { return f.end <= f.start; });
  std::vector<std::pair<std::string_view, PrivacyAction>> by_type;  // a handful of types
  std::vector<PrivacyAction> actions;
  actions.reserve(all.size());
  for (const Finding& f : all) {
    auto known = std::find_if(by_type.begin(), by_type.end(), [&f](const auto& entry) { return entry.first == f.type; });
    if (known == by_type.end()) known = by_type.insert(by_type.end(), {f.type, action_for(f.type, team, config)});
    actions.push_back(known->second);
  }
  // The kept spans are disjoint and sorted, so each finding overlaps a run of them, found
  // by binary search (a dense text has hundreds of raw findings: no all-pairs loop).
  const std::vector<size_t> kept = kept_after_overlaps(all);
  std::vector<PrivacyAction> kept_actions(kept.size());
  for (size_t j = 0; j < kept.size(); ++j) kept_actions[j] = actions[kept[j]];
  for (size_t i = 0; i < all.size(); ++i) {
    const Finding& f = all[i];
    auto j = static_cast<size_t>(
        std::partition_point(kept.begin(), kept.end(), [&](size_t k) { return all[k].end <= f.start; }) - kept.begin());
    for (; j < kept.size() && all[kept[j]].start < f.end; ++j) kept_actions[j] = std::max(kept_actions[j], actions[i]);
  }
  for (size_t j = 0; j < kept.size(); ++j) {
    PrivacyAction action = kept_actions[j];
    if (!where.redactable && action == PrivacyAction::Redact) action = PrivacyAction::LocalOnly;
    verdict.findings.push_back({std::move(all[kept[j]]), where, action});
  }
}

// Findings in the message's parts joined that no single part holds (a value split across
// parts, which providers receive joined).
void scan_across_parts(const Message& msg, size_t m, const PrivacyScanner& scanner, const config::TeamConfig& team,
                       const config::Config& config, PrivacyVerdict& verdict) {
  const auto is_text = [](const ContentPart& part) { return part.kind == ContentPart::Kind::Text; };
  if (std::count_if(msg.content.begin(), msg.content.end(), is_text) < 2) return;  // nothing to join
  std::string joined;
  std::vector<size_t> part_ends;
  for (const ContentPart& part : msg.content)
    if (is_text(part)) {
      joined += part.text;
      part_ends.push_back(joined.size());
    }
  PrivacyVerdict across;
  scan_text(joined, {m, 0, std::nullopt, false}, scanner, team, config, across);
  for (auto& f : across.findings) {
    const auto end_of_part = std::upper_bound(part_ends.begin(), part_ends.end(), f.finding.start);
    if (end_of_part != part_ends.end() && f.finding.end > *end_of_part) verdict.findings.push_back(std::move(f));
  }
}

// The request fields besides message text that reach a provider as text.
std::string other_fields(const ChatRequest& request) {
  std::string text = request.user;
  auto add = [&](std::string_view piece) {
    text += '\n';
    text += piece;
  };
  for (const auto& stop : request.stop) add(stop);
  for (const Message& m : request.messages) add(m.name);
  for (const ToolDefinition& tool : request.tools) {
    add(tool.name);
    add(tool.description);
    if (!tool.parameters.is_null()) add(tool.parameters.dump());
  }
  if (!request.tool_choice.is_null()) add(request.tool_choice.dump());
  if (!request.response_format.is_null()) add(request.response_format.dump());
  return text;
}

}  // namespace

PrivacyAction default_action(std::string_view type) {
  static constexpr std::pair<std::string_view, PrivacyAction> kDefaults[] = {
      {"SECRET", PrivacyAction::Block},
      {"US_SSN", PrivacyAction::LocalOnly},
      {"MEDICAL_RECORD_NUMBER", PrivacyAction::LocalOnly},
      {"DATE_OF_BIRTH", PrivacyAction::LocalOnly},
      {"CREDIT_CARD", PrivacyAction::LocalOnly},
      {"IBAN", PrivacyAction::Redact},
      {"EMAIL", PrivacyAction::Redact},
      {"PHONE", PrivacyAction::Redact},
      {"IP_ADDRESS", PrivacyAction::Allow},
  };
  for (const auto& [name, action] : kDefaults)
    if (name == type) return action;
  return PrivacyAction::LocalOnly;
}

PrivacyVerdict evaluate_privacy(const ChatRequest& request, const config::TeamConfig& team,
                                const config::Config& config, const PrivacyScanner& scanner,
                                std::optional<PrivacyAction> header_floor) {
  PrivacyVerdict verdict;
  for (size_t m = 0; m < request.messages.size(); ++m) {
    const Message& msg = request.messages[m];
    for (size_t p = 0; p < msg.content.size(); ++p)
      if (msg.content[p].kind == ContentPart::Kind::Text)
        scan_text(msg.content[p].text, {m, p, std::nullopt}, scanner, team, config, verdict);
    scan_across_parts(msg, m, scanner, team, config, verdict);
    for (size_t t = 0; t < msg.tool_calls.size(); ++t)
      scan_text(msg.tool_calls[t].arguments, {m, 0, t}, scanner, team, config, verdict);
  }
  scan_text(other_fields(request), {0, 0, std::nullopt, false}, scanner, team, config, verdict);

  // The strictest action wins; each type is named once, with its strictest action.
  std::map<std::string, PrivacyAction> by_type;
  for (const auto& f : verdict.findings) {
    auto [it, added] = by_type.emplace(f.finding.type, f.action);
    if (!added) it->second = std::max(it->second, f.action);
  }
  for (const auto& [type, action] : by_type) {
    verdict.action = std::max(verdict.action, action);
    verdict.reasons.push_back("found " + type + ": " + config::to_string(action));
  }
  if (team.privacy.default_action) {
    verdict.action = std::max(verdict.action, *team.privacy.default_action);
    verdict.reasons.push_back(std::string("team '") + team.name + "' default: " +
                              config::to_string(*team.privacy.default_action));
  }
  if (header_floor) {
    verdict.action = std::max(verdict.action, *header_floor);
    verdict.reasons.push_back(std::string("x-switchboard-privacy header: ") + config::to_string(*header_floor));
  }
  return verdict;
}

nlohmann::json PrivacyVerdict::to_json() const {
  nlohmann::json types = nlohmann::json::object();
  for (const auto& f : findings) {
    auto& entry = types[f.finding.type];
    if (entry.is_null()) entry = {{"count", 0}, {"action", config::to_string(f.action)}};
    entry["count"] = entry["count"].get<int>() + 1;
  }
  return {{"action", config::to_string(action)}, {"findings", std::move(types)}, {"reasons", reasons}};
}

}  // namespace sb::policies
