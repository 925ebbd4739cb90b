#include "connectors/gemini/gemini_provider.h"

#include "connectors/gemini/gemini_wire.h"
#include "connectors/upstream_call.h"
#include "connectors/upstream_error.h"
#include "connectors/wire_common.h"

namespace sb::connectors {

using nlohmann::json;

GeminiProvider::GeminiProvider(const config::ProviderConfig& config) : config_(config) {}

HttpRequest GeminiProvider::build_request(const ChatRequest& request) const {
  std::string_view model = request.model;
  if (model.starts_with("models/")) model.remove_prefix(7);  // Gemini's own resource-name form
  HttpRequest http;
  http.url = wire::versioned_base_url(config_.base_url, "/v1beta") + "/models/" + std::string(model) +
             (request.stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  http.headers = {"Content-Type: application/json"};
  if (request.stream) http.headers.push_back("Accept: text/event-stream");
  if (!config_.api_key.empty()) http.headers.push_back("x-goog-api-key: " + config_.api_key);
  http.body = gemini::request_to_json(request).dump();
  set_timeouts(http, config_);
  return http;
}

ChatResponse GeminiProvider::complete(const ChatRequest& request) {
  ChatRequest upstream = request;
  upstream.stream = false;
  ChatResponse response = gemini::parse_response(call_for_json(http_, config_.name, build_request(upstream)));
  if (response.model.empty()) response.model = request.model;
  response.created = wire::unix_now();
  return response;
}

StreamResult GeminiProvider::stream(const ChatRequest& request, const ChunkSink& sink) {
  ChatRequest upstream = request;
  upstream.stream = true;
  const int64_t created = wire::unix_now();
  gemini::StreamDecoder decoder;
  StreamResult result;

  call_for_sse(http_, config_.name, build_request(upstream), [&](const SseEvent& event) {
    auto payload = json::parse(event.data, nullptr, false);
    if (payload.is_discarded()) throw malformed_upstream(config_.name, "a stream event is not JSON");
    std::vector<ChatChunk> chunks = decoder.decode(payload);
    if (const auto& error = decoder.error()) {
      const json details = (*error)["error"];
      long status = details.is_object() && details.contains("code") && details["code"].is_number_integer()
                        ? details["code"].get<long>()
                        : 500;
      throw error_from_status(config_.name, HttpResponse{status, {}, error->dump()});
    }
    for (auto& chunk : chunks) {
      chunk.created = created;
      if (chunk.model.empty()) chunk.model = request.model;
      if (!sink(chunk)) {
        result.cancelled = true;
        return false;
      }
    }
    return true;  // Gemini sends usage with (or after) the finishing event: read to the end
  });

  result.usage = decoder.usage();
  result.finish_reason = decoder.finish_reason();
  if (!result.cancelled && !decoder.finished()) throw truncated_stream(config_.name);
  return result;
}

}  // namespace sb::connectors
