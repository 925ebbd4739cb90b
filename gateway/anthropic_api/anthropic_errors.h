#pragma once
// Errors as the Anthropic API shapes them, so the Anthropic SDKs raise their usual
// exception classes: {"type": "error", "error": {"type", "message"}} with the HTTP status,
// and the same object as an `event: error` inside a stream.
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/api_error.h"

namespace sb::gateway::anthropic_api {

// By status: 400 invalid_request_error, 401 authentication_error, 403 permission_error,
// 404 not_found_error, 413 request_too_large, 429 rate_limit_error, 503 and 529
// overloaded_error, anything else api_error.
std::string error_type(int status);

// error.type is error_type(status), except for the gateway's policy errors, which keep their
// own: privacy_blocked, privacy_violation, no_private_target, budget_exceeded.
nlohmann::json error_body(const ApiError& error);
void send_error(httplib::Response& res, const ApiError& error);

}  // namespace sb::gateway::anthropic_api
