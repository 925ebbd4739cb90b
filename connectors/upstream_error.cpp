#include "connectors/upstream_error.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace sb::connectors {
namespace {

std::string upstream_message(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("error")) {
    const auto& e = j["error"];
    if (e.is_string()) return e.get<std::string>();
    if (e.is_object() && e.contains("message") && e["message"].is_string()) return e["message"].get<std::string>();
  }
  if (j.is_array() && !j.empty() && j[0].is_object() && j[0].contains("error"))  // Gemini streams
    return upstream_message(j[0].dump());
  return body.substr(0, 200);
}

std::optional<int64_t> seconds_to_ms(std::string_view v) {
  double seconds = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (ec != std::errc() || seconds < 0) return std::nullopt;
  return static_cast<int64_t>(seconds * 1000);
}

// Gemini says when to retry in the body: error.details[] holds a google.rpc.RetryInfo
// whose retryDelay is a protobuf Duration string such as "37s" or "1.5s".
std::optional<int64_t> google_retry_delay_ms(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return std::nullopt;
  const auto details = j["error"].value("details", nlohmann::json::array());
  if (!details.is_array()) return std::nullopt;
  for (const auto& d : details) {
    if (!d.is_object() || !d.value("@type", "").ends_with("google.rpc.RetryInfo")) continue;
    std::string delay = d.value("retryDelay", "");
    if (!delay.ends_with('s')) return std::nullopt;
    delay.pop_back();
    return seconds_to_ms(delay);
  }
  return std::nullopt;
}

std::optional<int64_t> retry_after_ms(const HttpResponse& response) {
  auto it = response.headers.find("retry-after");
  if (it == response.headers.end()) return google_retry_delay_ms(response.body);
  return seconds_to_ms(it->second);  // the HTTP-date form gives nullopt: treat as unknown
}

}  // namespace

bool is_retriable_status(long status) {
  return status == 408 || status == 409 || status == 429 || status >= 500;
}

bool worth_retrying_same_target(const ProviderError& error) {
  if (!error.retriable() || !is_retriable_status(error.status())) return false;
  return error.code() != "upstream_auth_failed" && error.code() != "upstream_model_not_found";
}

ProviderError error_from_status(const std::string& provider, const HttpResponse& response) {
  long status = response.status;
  std::string message = provider + " answered HTTP " + std::to_string(status) + ": " + upstream_message(response.body);
  if (status == 429)
    return ProviderError(429, "rate_limit_error", "upstream_rate_limited", message, true, retry_after_ms(response));
  if (status == 401 || status == 403)  // the gateway's credentials, not the client's
    return ProviderError(502, "upstream_error", "upstream_auth_failed", message, true);
  if (is_retriable_status(status))
    return ProviderError(502, "upstream_error", "upstream_unavailable", message, true, retry_after_ms(response));
  if (status == 404)
    return ProviderError(502, "upstream_error", "upstream_model_not_found", message, true);
  return ProviderError(static_cast<int>(status), "invalid_request_error", "upstream_rejected", message, false);
}

ProviderError error_from_transport(const std::string& provider, const TransportError& error) {
  if (error.kind() == TransportError::Kind::Timeout)
    return ProviderError(504, "upstream_error", "upstream_timeout", provider + " timed out: " + error.what(), true);
  return ProviderError(502, "upstream_error", "upstream_unreachable", provider + " unreachable: " + error.what(), true);
}

}  // namespace sb::connectors
