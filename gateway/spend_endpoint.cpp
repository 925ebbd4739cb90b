#include "gateway/spend_endpoint.h"

#include "accounting/spend_report.h"
#include "gateway/http_util.h"

namespace sb::gateway {

namespace {

std::optional<std::string_view> param(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  const auto it = req.params.find(name);
  return std::string_view(it->second);
}

ApiError bad_param(const std::string& name, const std::string& message) {
  return ApiError(400, "invalid_request_error", "invalid_value", message, name);
}

}  // namespace

nlohmann::json spend_row_json(const accounting::SpendRow& row) {
  return {{"group", row.group},
          {"requests", row.requests},
          {"prompt_tokens", row.prompt_tokens},
          {"completion_tokens", row.completion_tokens},
          {"cached_prompt_tokens", row.cached_prompt_tokens},
          {"cost_usd", row.cost.usd()},
          {"savings_usd", row.savings.usd()},
          {"estimated_requests", row.estimated_requests}};
}

void SpendEndpoint::handle(const httplib::Request& req, httplib::Response& res) const {
  const std::string key = presented_api_key(req);
  const auto& admin_token = config_.server.admin_token;
  const bool admin = !key.empty() && admin_token && same_secret(key, *admin_token);
  const config::TeamConfig* own_team = admin ? nullptr : keys_.authenticate(key);
  if (!admin && !own_team) {
    throw ApiError(401, "invalid_request_error", "invalid_api_key",
                   "Spend reports need the admin token or a team's API key.");
  }

  std::optional<std::string> team;
  if (const auto asked = param(req, "team"); asked && !asked->empty()) team = std::string(*asked);
  if (own_team) {
    if (team && *team != own_team->name) {
      throw ApiError(403, "permission_error", "forbidden",
                     "A team's key may only read its own team's spend.", "team");
    }
    team = own_team->name;
  }

  const auto group_by = accounting::parse_group_by(param(req, "group_by").value_or("day"));
  if (!group_by) throw bad_param("group_by", "group_by must be one of day, model, target, team.");
  const auto period = accounting::spend_period(param(req, "from"), param(req, "to"), metering_.now());
  if (!period) {
    throw bad_param("from", "from and to must be dates (2025-03-01) or UTC times (2025-03-01T12:00:00Z).");
  }

  const auto rows = metering_.ledger().spend({team, period->from, period->to, *group_by});
  nlohmann::json data = nlohmann::json::array();
  for (const auto& row : rows) data.push_back(spend_row_json(row));
  nlohmann::json total = spend_row_json(accounting::total_of(rows));
  total.erase("group");
  send_json(res, 200,
            {{"object", "spend"},
             {"team", team ? nlohmann::json(*team) : nlohmann::json(nullptr)},
             {"from", accounting::format_iso8601(period->from)},
             {"to", accounting::format_iso8601(period->to)},
             {"group_by", to_string(*group_by)},
             {"data", std::move(data)},
             {"total", std::move(total)}});
}

}  // namespace sb::gateway
