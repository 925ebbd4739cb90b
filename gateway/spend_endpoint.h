#pragma once
// GET /v1/spend?team=&from=&to=&group_by=day|model|target|team
// The admin token (server.admin_token) may read every team; a team's key only its own team
// (team= omitted or naming it; another team is 403). from/to: "2025-03-01" or
// "2025-03-01T12:00:00Z", [from, to), defaulting to this UTC month up to today. Answers
//   {"object":"spend","team":..,"from":..,"to":..,"group_by":..,
//    "data":[{"group","requests","prompt_tokens","completion_tokens","cached_prompt_tokens",
//             "cost_usd","savings_usd","estimated_requests"}...],"total":{...}}
// savings_usd: what the tokens served locally would have cost on the route's first cloud model.
#include <httplib.h>

#include "core/config/config.h"
#include "gateway/auth.h"
#include "gateway/metering.h"

namespace sb::gateway {

class SpendEndpoint {
 public:
  SpendEndpoint(const config::Config& config, const KeyStore& keys, Metering& metering)
      : config_(config), keys_(keys), metering_(metering) {}

  // Throws ApiError (401, 403, 400) for the server's error handler.
  void handle(const httplib::Request& req, httplib::Response& res) const;

 private:
  const config::Config& config_;
  const KeyStore& keys_;
  Metering& metering_;
};

nlohmann::json spend_row_json(const accounting::SpendRow& row);

}  // namespace sb::gateway
