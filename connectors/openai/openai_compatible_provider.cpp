#include "connectors/openai/openai_compatible_provider.h"

#include "connectors/openai/openai_wire.h"
#include "connectors/upstream_call.h"
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
  return openai::parse_response(call_for_json(http_, config_.name, build_request(upstream)));
}

StreamResult OpenAICompatibleProvider::stream(const ChatRequest& request, const ChunkSink& sink) {
  ChatRequest upstream = request;
  upstream.stream = true;
  StreamResult result;
  bool done = false;

  call_for_sse(http_, config_.name, build_request(upstream), [&](const SseEvent& event) {
    if (event.data == "[DONE]") {
      done = true;
      return false;
    }
    auto body = json::parse(event.data, nullptr, false);
    if (body.is_discarded()) throw malformed_upstream(config_.name, "a stream event is not JSON");
    if (body.is_object() && body.contains("error"))
      throw error_from_status(config_.name, HttpResponse{500, {}, event.data});
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

  if (!result.cancelled && !done && result.finish_reason.empty()) throw truncated_stream(config_.name);
  return result;
}

}  // namespace sb::connectors
