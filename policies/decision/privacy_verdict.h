#pragma once
// Where a request may go, by what the detectors found in it (contract: ../shared/CONFIG.md).
//
// Every text a provider would receive is scanned: each message's text parts (system, user,
// assistant, tool), each tool call's arguments, and — as text that cannot be redacted —
// message names, the user field, stop strings, tool definitions, tool_choice,
// response_format, and a message's parts joined (a value split across parts). Each finding
// type maps to an action — the team's override, else the global one, else the built-in
// default below — and the request takes the strictest of: those actions, the team's
// privacy.default and the x-switchboard-privacy header (which can only tighten). A finding
// whose action is redact in text that cannot be redacted makes the request local_only.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/chat.h"
#include "core/config/config.h"
#include "policies/privacy/privacy_scanner.h"

namespace sb::policies {

// Where in a ChatRequest a finding lies: message `message`, then either text part `part`
// or (when `tool_call` is set) the arguments of that tool call.
struct FindingLocation {
  size_t message = 0;
  size_t part = 0;
  std::optional<size_t> tool_call;
  bool redactable = true;  // false: a field or span the redactor cannot rewrite

  auto operator<=>(const FindingLocation&) const = default;
};

struct LocatedFinding {
  Finding finding;
  FindingLocation where;
  // The strictest action of this finding and of every finding its span covers (a
  // local_only codename inside an allowed email makes the email local_only).
  config::PrivacyAction action = config::PrivacyAction::Allow;
};

struct PrivacyVerdict {
  config::PrivacyAction action = config::PrivacyAction::Allow;
  std::vector<LocatedFinding> findings;  // in request order
  std::vector<std::string> reasons;      // why the action is what it is

  bool device_only() const { return action == config::PrivacyAction::LocalOnly; }
  // {"action", "findings": {TYPE: {"count", "action"}}, "reasons"} — never the values.
  nlohmann::json to_json() const;
};

// The action for a finding type when neither the team nor the global config sets one:
// the example policy of CONFIG.md, and local_only for custom types (fail closed).
config::PrivacyAction default_action(std::string_view finding_type);

// `header_floor`: the action asked for by x-switchboard-privacy, if any.
PrivacyVerdict evaluate_privacy(const ChatRequest& request, const config::TeamConfig& team,
                                const config::Config& config, const PrivacyScanner& scanner,
                                std::optional<config::PrivacyAction> header_floor);

}  // namespace sb::policies
