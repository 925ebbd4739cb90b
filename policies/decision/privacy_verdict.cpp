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

void scan_text(const std::string& text, FindingLocation where, const PrivacyScanner& scanner,
               const config::TeamConfig& team, const config::Config& config, PrivacyVerdict& verdict) {
  if (text.empty()) return;
  for (Finding& f : scanner.scan(text)) {
    const PrivacyAction action = action_for(f.type, team, config);
    verdict.findings.push_back({std::move(f), where, action});
  }
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
    for (size_t t = 0; t < msg.tool_calls.size(); ++t)
      scan_text(msg.tool_calls[t].arguments, {m, 0, t}, scanner, team, config, verdict);
  }

  // The strictest action wins; each source that sets it is named once.
  std::map<std::string, PrivacyAction> by_type;
  for (const auto& f : verdict.findings) by_type.emplace(f.finding.type, f.action);
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
