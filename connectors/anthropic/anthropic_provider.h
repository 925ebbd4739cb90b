#pragma once
// Provider for Anthropic's Messages API: POST {base_url}/v1/messages with x-api-key and
// anthropic-version headers; streaming over SSE (message_start ... message_stop).
#include "connectors/http_client.h"
#include "connectors/provider.h"
#include "core/config/config.h"

namespace sb::connectors {

class AnthropicProvider : public Provider {
 public:
  // config.base_url is the API root ("https://api.anthropic.com"; a trailing "/v1" is accepted).
  explicit AnthropicProvider(const config::ProviderConfig& config);

  const std::string& name() const override { return config_.name; }
  Locality locality() const override { return config_.locality; }
  ChatResponse complete(const ChatRequest& request) override;
  // A stream that ends without message_stop throws upstream_stream_truncated; an `error`
  // event throws the ProviderError its error type maps to (overloaded_error as HTTP 529).
  StreamResult stream(const ChatRequest& request, const ChunkSink& sink) override;

 private:
  HttpRequest build_request(const ChatRequest& request) const;

  config::ProviderConfig config_;
  HttpClient http_;
};

}  // namespace sb::connectors
