#pragma once
// Provider for the Gemini API: POST {base_url}/v1beta/models/{model}:generateContent, and
// :streamGenerateContent?alt=sse for streams; the key goes in the x-goog-api-key header.
#include "connectors/http_client.h"
#include "connectors/provider.h"
#include "core/config/config.h"

namespace sb::connectors {

class GeminiProvider : public Provider {
 public:
  // config.base_url is the API root ("https://generativelanguage.googleapis.com"; a trailing
  // "/v1beta" is accepted).
  explicit GeminiProvider(const config::ProviderConfig& config);

  const std::string& name() const override { return config_.name; }
  Locality locality() const override { return config_.locality; }
  ChatResponse complete(const ChatRequest& request) override;
  // A stream that ends before an event with a finishReason throws upstream_stream_truncated;
  // an {"error": ...} event throws the ProviderError its code maps to.
  StreamResult stream(const ChatRequest& request, const ChunkSink& sink) override;

 private:
  HttpRequest build_request(const ChatRequest& request) const;

  config::ProviderConfig config_;
  HttpClient http_;
};

}  // namespace sb::connectors
