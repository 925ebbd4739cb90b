#pragma once
// Small pieces every HTTP handler uses: OpenAI-style error bodies and JSON responses.
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/api_error.h"

namespace sb::gateway {

// {"error": {"message", "type", "param", "code"}} exactly as OpenAI shapes it.
nlohmann::json error_body(const ApiError& error);
void send_error(httplib::Response& res, const ApiError& error);
// The 500 answer for an unexpected exception.
ApiError internal_error(const std::exception& e);
void send_json(httplib::Response& res, int status, const nlohmann::json& body);
// Retry-After (whole seconds, rounded up) when the error advises when to try again.
void set_retry_after(httplib::Response& res, const ApiError& error);
// The request body as JSON; throws ApiError 400 invalid_json when it is not.
nlohmann::json parse_json_body(const httplib::Request& req);

}  // namespace sb::gateway
