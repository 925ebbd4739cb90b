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

std::optional<int64_t> retry_after_ms(const HttpResponse& response) {
  auto it = response.headers.find("retry-after");
  if (it == response.headers.end()) return std::nullopt;
  double seconds = 0;
  const std::string& v = it->second;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (ec != std::errc() || seconds < 0) return std::nullopt;  // HTTP-date form: treat as unknown
  return static_cast<int64_t>(seconds * 1000);
}

}  // namespace

bool is_retriable_status(long status) {
  return status == 408 || status == 409 || status == 429 || status >= 500;
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
