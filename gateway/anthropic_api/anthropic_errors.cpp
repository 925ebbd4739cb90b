#include "gateway/anthropic_api/anthropic_errors.h"

#include "gateway/http_util.h"

namespace sb::gateway::anthropic_api {

std::string error_type(int status) {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 503:
    case 529: return "overloaded_error";
    default: return status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
  }
}

namespace {

// Policy outcomes whose error type is part of the gateway's contract (CONFIG.md): clients
// tell them apart by type on every API, so they are not folded into Anthropic's status types.
bool is_policy_type(const std::string& type) {
  return type == "privacy_blocked" || type == "privacy_violation" || type == "no_private_target" ||
         type == "budget_exceeded";
}

}  // namespace

nlohmann::json error_body(const ApiError& error) {
  const std::string type = is_policy_type(error.type()) ? error.type() : error_type(error.status());
  return {{"type", "error"}, {"error", {{"type", type}, {"message", error.what()}}}};
}

void send_error(httplib::Response& res, const ApiError& error) {
  send_json(res, error.status(), error_body(error));
  set_retry_after(res, error);
}

}  // namespace sb::gateway::anthropic_api
