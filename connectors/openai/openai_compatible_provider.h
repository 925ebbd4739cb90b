#pragma once
// Provider for OpenAI's chat completions API and any server that speaks it
// (vLLM, Ollama, llama.cpp server): POST {base_url}/chat/completions, SSE streaming.
#include <memory>

#include "connectors/http_client.h"
#include "connectors/provider.h"
#include "core/config/config.h"

namespace sb::connectors {

class OpenAICompatibleProvider : public Provider {
 public:
  explicit OpenAICompatibleProvider(const config::ProviderConfig& config);

  const std::string& name() const override { return config_.name; }
  Locality locality() const override { return config_.locality; }
  ChatResponse complete(const ChatRequest& request) override;
  StreamResult stream(const ChatRequest& request, const ChunkSink& sink) override;

 private:
  HttpRequest build_request(const ChatRequest& request) const;

  config::ProviderConfig config_;
  HttpClient http_;
};

}  // namespace sb::connectors
