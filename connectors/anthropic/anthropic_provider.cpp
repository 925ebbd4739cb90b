#include "connectors/anthropic/anthropic_provider.h"

#include "connectors/anthropic/anthropic_wire.h"
#include "connectors/upstream_call.h"
#include "connectors/upstream_error.h"
#include "connectors/wire_common.h"

namespace sb::connectors {

using nlohmann::json;

AnthropicProvider::AnthropicProvider(const config::ProviderConfig& config) : config_(config) {}

HttpRequest AnthropicProvider::build_request(const ChatRequest& request) const {
  HttpRequest http;
  http.url = wire::versioned_base_url(config_.base_url, "/v1") + "/messages";
  http.headers = {"content-type: application/json", std::string("anthropic-version: ") + anthropic::kApiVersion};
  if (request.stream) http.headers.push_back("accept: text/event-stream");
  if (!config_.api_key.empty()) http.headers.push_back("x-api-key: " + config_.api_key);
  http.body = anthropic::request_to_json(request).dump();
  set_timeouts(http, config_);
  return http;
}

ChatResponse AnthropicProvider::complete(const ChatRequest& request) {
  ChatRequest upstream = request;
  upstream.stream = false;
  ChatResponse response = anthropic::parse_response(call_for_json(http_, config_.name, build_request(upstream)));
  response.created = wire::unix_now();
  return response;
}

StreamResult AnthropicProvider::stream(const ChatRequest& request, const ChunkSink& sink) {
  ChatRequest upstream = request;
  upstream.stream = true;
  const int64_t created = wire::unix_now();
  anthropic::StreamDecoder decoder;
  StreamResult result;

  call_for_sse(http_, config_.name, build_request(upstream), [&](const SseEvent& event) {
    auto payload = json::parse(event.data, nullptr, false);
    if (payload.is_discarded()) throw malformed_upstream(config_.name, "a stream event is not JSON");
    std::optional<ChatChunk> chunk = decoder.decode(payload);
    if (const auto& error = decoder.error()) {
      const json details = error->value("error", json::object());
      int status = anthropic::status_for_error_type(details.is_object() ? details.value("type", "") : "");
      throw error_from_status(config_.name, HttpResponse{status, {}, error->dump()});
    }
    if (chunk) {
      chunk->created = created;
      if (!sink(*chunk)) {
        result.cancelled = true;
        return false;
      }
    }
    return !decoder.finished();
  });

  result.usage = decoder.usage();
  result.finish_reason = decoder.finish_reason();
  if (!result.cancelled && !decoder.finished()) throw truncated_stream(config_.name);
  return result;
}

}  // namespace sb::connectors
