#include "policies/policy_engine.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace sb::policies {
namespace {

using config::Locality;
using config::PrivacyAction;

const LocalTokenCounter kNoLocalCounter;

// "%.*f" without printf's locale and format parsing (to_chars rounds the same way). The
// buffer holds any double's 309 integer digits and the few decimals asked for here.
std::string fixed(double v, int digits) {
  char buf[512];
  const auto [end, error] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits);
  return error == std::errc{} ? std::string(buf, end) : std::to_string(v);
}

// The finding types whose action is at least `action`, as "A, B".
std::string types_with(const PrivacyVerdict& verdict, PrivacyAction action) {
  std::set<std::string> types;
  for (const auto& f : verdict.findings)
    if (f.action >= action) types.insert(f.finding.type);
  std::string out;
  for (const auto& t : types) out += (out.empty() ? "" : ", ") + t;
  return out;
}

// Why a device-only request is device-only, for error messages.
std::string device_only_cause(const PrivacyVerdict& verdict) {
  const std::string types = types_with(verdict, PrivacyAction::LocalOnly);
  return types.empty() ? "the team's or the request's privacy setting" : "it contains " + types;
}

// Candidate model names in the order the route prefers them for this difficulty.
std::vector<std::string> route_order(const config::RouteConfig& route, double difficulty,
                                     std::vector<std::string>& reasons) {
  const std::string score = fixed(difficulty, 3);
  bool local_first = false;
  if (!route.difficulty_threshold) {
    reasons.push_back("route '" + route.model + "' has no difficulty threshold: cloud first, local as last resort");
  } else {
    local_first = difficulty < *route.difficulty_threshold;
    reasons.push_back("difficulty " + score + (local_first ? " < " : " >= ") + "threshold " +
                      fixed(*route.difficulty_threshold, 3) + ": " + (local_first ? "local first" : "cloud first"));
  }
  std::vector<std::string> order;
  const auto& first = local_first ? route.local : route.cloud;
  const auto& second = local_first ? route.cloud : route.local;
  order.insert(order.end(), first.begin(), first.end());
  order.insert(order.end(), second.begin(), second.end());
  return order;
}

// The first route that lists `model` among its cloud models.
const config::RouteConfig* route_listing(const config::Config& config, const std::string& model) {
  for (const auto& r : config.routes)
    if (std::find(r.cloud.begin(), r.cloud.end(), model) != r.cloud.end()) return &r;
  return nullptr;
}

// Policy outcomes carry their name as both error type and code (CONFIG.md names the type:
// privacy_blocked, no_private_target, privacy_violation, budget_exceeded).
Rejection reject(int status, std::string type, std::string message, std::string param = {}) {
  std::string code = type;
  return {status, std::move(type), std::move(code), std::move(message), std::move(param)};
}

}  // namespace

PolicyEngine::PolicyEngine(const config::Config& config, DifficultyModel difficulty, LocalTokenCounter count_local)
    : config_(config), scanner_(config.privacy), difficulty_(std::move(difficulty)),
      count_local_(std::move(count_local)) {}

RouteDecision PolicyEngine::decide(const DecisionInput& in) const {
  RouteDecision d;
  d.id = in.decision_id;
  d.requested_model = in.request.model;
  d.privacy = evaluate_privacy(in.request, in.team, config_, scanner_, in.privacy_header);
  d.difficulty = difficulty_.score(in.request);

  if (d.privacy.action == PrivacyAction::Block) {
    d.rejection = reject(400, "privacy_blocked",
                         "This request contains " + types_with(d.privacy, PrivacyAction::Block) +
                             ", which the privacy policy blocks; it was not sent to any model.");
    return d;
  }

  // Candidates, in preference order.
  std::vector<std::string> candidates;
  const config::RouteConfig* route = config_.find_route(in.request.model);
  if (route) {
    d.route = route->model;
    candidates = route_order(*route, d.difficulty, d.reasons);
  } else if (config_.find_model(in.request.model)) {
    d.reasons.push_back("concrete model '" + in.request.model + "' requested");
    candidates.push_back(in.request.model);
  } else {
    d.rejection = Rejection{404, "invalid_request_error", "model_not_found",
                            "The model '" + in.request.model + "' does not exist", "model"};
    return d;
  }

  const bool device_only = d.privacy.device_only();
  const int64_t remote_input_tokens = estimate_input_tokens(in.request);
  auto add = [&](const std::string& model) {
    const auto ref = config_.find_model(model);
    if (!ref) return;  // validated configs name only known models
    Target t;
    t.model = model;
    if (ref->kind == config::ModelRef::Kind::Local) {
      t.locality = Locality::Device;
    } else {
      const config::ProviderConfig& p = *ref->provider;
      if (!p.enabled) {
        d.reasons.push_back("skipped " + model + ": provider '" + p.name + "' is disabled (" + p.disabled_reason + ")");
        return;
      }
      t.provider = p.name;
      t.locality = p.locality;
    }
    if (device_only && t.locality != Locality::Device) {
      d.reasons.push_back("withheld from " + model + ": remote, and the request is local_only");
      return;
    }
    t.redacted = d.privacy.action == PrivacyAction::Redact && t.locality == Locality::Remote;
    // Counting with a local model's tokenizer costs about as much as the call's own prompt
    // processing (~1 ms for 4 KB): done only for the first choice, the target that will most
    // likely run it; a local model further down keeps the estimate.
    const LocalTokenCounter& count = d.targets.empty() ? count_local_ : kNoLocalCounter;
    t.cost = estimate_cost(in.request, remote_input_tokens, model, t.locality == Locality::Device, config_, count);
    d.targets.push_back(std::move(t));
  };
  for (const auto& m : candidates) add(m);

  // A concrete remote model that privacy forbids (or whose provider is off) falls back to
  // its route's local models.
  if (!route && d.targets.empty() && device_only) {
    const config::RouteConfig* owner = route_listing(config_, in.request.model);
    if (owner && !owner->local.empty()) {
      d.reasons.push_back("rerouted to route '" + owner->model + "''s local models");
      for (const auto& m : owner->local) add(m);
    }
    if (d.targets.empty()) {
      d.rejection = reject(403, "privacy_violation",
                           "The model '" + in.request.model + "' runs remotely and this request may only be " +
                               "served on this device (" + device_only_cause(d.privacy) + ").",
                           "model");
      return d;
    }
  }
  if (d.targets.empty() && device_only) {
    d.rejection = reject(503, "no_private_target",
                         "This request may only be served on this device (" + device_only_cause(d.privacy) +
                             ") and no on-device model can serve '" + in.request.model + "'.");
    return d;
  }

  if (in.budget_headroom_usd) {
    const double headroom = *in.budget_headroom_usd;
    const size_t before = d.targets.size();
    std::erase_if(d.targets, [&](const Target& t) {
      if (t.cost.max_usd <= headroom) return false;
      d.reasons.push_back("skipped " + t.model + ": may cost up to $" + fixed(t.cost.max_usd, 6) +
                          ", the team has $" + fixed(headroom, 6) + " left");
      return true;
    });
    if (before > 0 && d.targets.empty()) {
      d.rejection = reject(429, "budget_exceeded",
                           "No target fits the team's remaining budget of $" + fixed(headroom, 6) + ".");
      return d;
    }
  }
  if (d.targets.empty())
    d.rejection = Rejection{503, "service_unavailable", "no_available_target",
                            "No target is available for model '" + in.request.model + "'; see the decision's reasons.", ""};
  return d;
}

}  // namespace sb::policies
