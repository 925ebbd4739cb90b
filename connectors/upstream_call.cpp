#include "connectors/upstream_call.h"

#include <exception>

#include "connectors/upstream_error.h"

namespace sb::connectors {

nlohmann::json call_for_json(HttpClient& http, const std::string& provider, const HttpRequest& request) {
  HttpResponse response;
  try {
    response = http.send(request);
  } catch (const TransportError& e) {
    throw error_from_transport(provider, e);
  }
  if (response.status < 200 || response.status >= 300) throw error_from_status(provider, response);
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded()) throw malformed_upstream(provider, "the answer is not JSON");
  return body;
}

void call_for_sse(HttpClient& http, const std::string& provider, const HttpRequest& request,
                  const SseParser::EventCallback& on_event) {
  std::exception_ptr failure;  // exceptions must not cross libcurl's C frames
  SseParser parser([&](const SseEvent& event) {
    try {
      return on_event(event);
    } catch (...) {
      failure = std::current_exception();
      return false;
    }
  });
  HttpResponse response;
  try {
    response = http.send_streaming(request, [&](std::string_view bytes) { return parser.feed(bytes); });
  } catch (const TransportError& e) {
    if (failure) std::rethrow_exception(failure);
    throw error_from_transport(provider, e);
  }
  if (response.status < 200 || response.status >= 300) throw error_from_status(provider, response);
  if (failure) std::rethrow_exception(failure);
}

ProviderError malformed_upstream(const std::string& provider, const std::string& what) {
  return ProviderError(502, "upstream_error", "bad_upstream_response", provider + ": " + what, true);
}

ProviderError truncated_stream(const std::string& provider) {
  return ProviderError(502, "upstream_error", "upstream_stream_truncated",
                       provider + " ended the stream before it finished", true);
}

}  // namespace sb::connectors
