#include "gateway/http_util.h"

namespace sb::gateway {

nlohmann::json error_body(const ApiError& e) {
  auto or_null = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
  return {{"error", {{"message", e.what()}, {"type", e.type()}, {"param", or_null(e.param())}, {"code", or_null(e.code())}}}};
}

void send_error(httplib::Response& res, const ApiError& error) {
  send_json(res, error.status(), error_body(error));
  set_retry_after(res, error);
}

void set_retry_after(httplib::Response& res, const ApiError& error) {
  if (auto ms = error.retry_after_ms()) res.set_header("Retry-After", std::to_string((*ms + 999) / 1000));
}

nlohmann::json parse_json_body(const httplib::Request& req) {
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded())
    throw ApiError(400, "invalid_request_error", "invalid_json",
                   "We could not parse the JSON body of your request: it is not valid JSON.");
  return body;
}

ApiError internal_error(const std::exception& e) {
  return ApiError(500, "internal_error", "internal_error", std::string("internal error: ") + e.what());
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

}  // namespace sb::gateway
