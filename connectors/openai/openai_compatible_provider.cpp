#include "connectors/openai/openai_compatible_provider.h"

#include "connectors/openai/openai_wire.h"
#include "connectors/sse_parser.h"
#include "connectors/upstream_error.h"

namespace sb::connectors {

using nlohmann::json;

OpenAICompatibleProvider::OpenAICompatibleProvider(const config::ProviderConfig& config) : config_(config) {}

HttpRequest OpenAICompatibleProvider::build_request(const ChatRequest& request) const {
  openai::RequestOptions options;
  options.max_completion_tokens = config_.kind == config::ProviderKind::OpenAI;
  HttpRequest http;
  std::string base = config_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  http.url = base + "/chat/completions";
  http.headers = {"Content-Type: application/json"};
  if (request.stream) http.headers.push_back("Accept: text/event-stream");
  if (!config_.api_key.empty()) http.headers.push_back("Authorization: Bearer " + config_.api_key);
  http.body = openai::request_to_json(request, options).dump();
  set_timeouts(http, config_);
  return http;
}

ChatResponse OpenAICompatibleProvider::complete(const ChatRequest& request) {
  ChatRequest upstream = request;
  upstream.stream = false;
  HttpResponse response;
  try {
    response = http_.send(build_request(upstream));
  } catch (const TransportError& e) {
    throw error_from_transport(config_.name, e);
  }
  if (response.status < 200 || response.status >= 300) throw error_from_status(config_.name, response);
  auto body = json::parse(response.body, nullptr, false);
  if (body.is_discarded())
    throw ProviderError(502, "upstream_error", "bad_upstream_response", config_.name + " answered with invalid JSON", true);
  return openai::parse_response(body);
}

StreamResult OpenAICompatibleProvider::stream(const ChatRequest& request, const ChunkSink& sink) {
  ChatRequest upstream = request;
  upstream.stream = true;
  StreamResult result;
  bool done = false;
  std::optional<ProviderError> stream_error;

  SseParser parser([&](const SseEvent& event) {
    if (event.data == "[DONE]") {
      done = true;
      return false;
    }
    auto body = json::parse(event.data, nullptr, false);
    if (body.is_discarded()) {
      stream_error = ProviderError(502, "upstream_error", "bad_upstream_response",
                                   config_.name + " sent a stream event that is not JSON", true);
      return false;
    }
    if (body.is_object() && body.contains("error")) {
      HttpResponse as_error{500, {}, event.data};
      stream_error = error_from_status(config_.name, as_error);
      return false;
    }
    ChatChunk chunk = openai::parse_chunk(body);
    if (chunk.usage) result.usage = chunk.usage;
    if (!chunk.finish_reason.empty()) result.finish_reason = chunk.finish_reason;
    chunk.usage.reset();  // the gateway reports usage in its own final chunk
    bool has_payload = chunk.role || !chunk.content.empty() || !chunk.tool_calls.empty() || !chunk.finish_reason.empty();
    if (has_payload && !sink(chunk)) {
      result.cancelled = true;
      return false;
    }
    return true;
  });

  HttpResponse response;
  try {
    response = http_.send_streaming(build_request(upstream), [&](std::string_view bytes) { return parser.feed(bytes); });
  } catch (const TransportError& e) {
    throw error_from_transport(config_.name, e);
  }
  if (response.status < 200 || response.status >= 300) throw error_from_status(config_.name, response);
  if (stream_error) throw *stream_error;
  if (result.cancelled) return result;
  if (!done && result.finish_reason.empty())
    throw ProviderError(502, "upstream_error", "upstream_stream_truncated",
                        config_.name + " ended the stream before it finished", true);
  return result;
}

}  // namespace sb::connectors
