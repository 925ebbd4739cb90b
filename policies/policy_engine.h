#pragma once
// The policy engine: request + team + config -> RouteDecision (contract: ../shared/CONFIG.md).
//
// Pure: no I/O, no clock, no randomness; the decision id and the team's budget headroom
// come in as input, so a decision can be replayed and explained. Immutable after
// construction; decide() may run on any number of threads at once.
#include <optional>
#include <string>

#include "core/chat.h"
#include "core/config/config.h"
#include "policies/decision/cost_estimate.h"
#include "policies/difficulty/difficulty_model.h"
#include "policies/privacy/privacy_scanner.h"
#include "policies/route_decision.h"

namespace sb::policies {

struct DecisionInput {
  const ChatRequest& request;
  const config::TeamConfig& team;
  std::string decision_id;
  std::optional<config::PrivacyAction> privacy_header;  // x-switchboard-privacy; only tightens
  std::optional<double> budget_headroom_usd;            // what the team may still spend; nullopt = no cap
};

class PolicyEngine {
 public:
  // config must outlive the engine. count_local, when given, counts a local model's input
  // exactly (nullopt: estimate); it is asked only about the first target, the one likely
  // to run the request, because counting costs about as much as the call's own prompt
  // processing. Throws std::invalid_argument for a custom detector whose regex does not compile.
  PolicyEngine(const config::Config& config, DifficultyModel difficulty, LocalTokenCounter count_local = {});

  // Never throws for a policy outcome: a request that must not be sent gets a decision
  // with `rejection` set (block, unknown model, privacy violation, no target).
  RouteDecision decide(const DecisionInput& input) const;

  const PrivacyScanner& scanner() const { return scanner_; }
  const DifficultyModel& difficulty() const { return difficulty_; }

 private:
  const config::Config& config_;
  PrivacyScanner scanner_;
  DifficultyModel difficulty_;
  LocalTokenCounter count_local_;
};

}  // namespace sb::policies
