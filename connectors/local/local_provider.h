#pragma once
// The Provider for a `local_models` entry: chat request -> chat template -> tokens ->
// the in-process engine -> OpenAI-shaped answer, whole or streamed. Locality: device.
//
// Usage is real: prompt tokens as the model's tokenizer counts them, completion tokens
// as generated. Errors: 400 for parameters a local model cannot honour (n > 1, images,
// a prompt + max_tokens over the context: `context_length_exceeded` with the numbers);
// 503 `local_model_busy` with Retry-After (retriable, so the dispatcher may fall back)
// when every slot is busy and the wait queue is full; 503 `local_model_unavailable`
// (retriable) when the model cannot be loaded.
#include <cstdint>
#include <optional>
#include <string>

#include "connectors/local/model_host.h"
#include "connectors/provider.h"
#include "core/config/config.h"

namespace sb::connectors {

struct LocalProviderOptions {
  int max_queued = 64;  // requests that may wait for a busy model before 503
  int64_t busy_retry_after_ms = 1000;  // Retry-After advised with 503 local_model_busy
  local::HostLog log;   // load / unload progress; may be empty
};

class LocalProvider : public Provider {
 public:
  // Loads nothing yet: see load(), or the model loads on the first request.
  explicit LocalProvider(const config::LocalModelConfig& config, LocalProviderOptions options = {});

  const std::string& name() const override { return name_; }
  Locality locality() const override { return Locality::Device; }
  ChatResponse complete(const ChatRequest& request) override;
  StreamResult stream(const ChatRequest& request, const ChunkSink& sink) override;

  // The prompt tokens `request` would take (chat template applied, as complete() and
  // stream() count them), or nullopt when the model is not loaded (counting never loads
  // it) or the request cannot be rendered (complete() and stream() say why).
  std::optional<int64_t> count_prompt_tokens(const ChatRequest& request);

  // Loads the model now (start-up), progress on the log; throws ProviderError 503.
  void load() { host_.load(); }
  local::ModelHost& host() { return host_; }

 private:
  struct Call;
  Call prepare(local::LoadedModel& model, const ChatRequest& request) const;
  engine::GenerateResult run(local::LoadedModel& model, const Call& call,
                             const engine::OnToken& on_token) const;

  std::string name_;
  LocalProviderOptions options_;
  local::ModelHost host_;
};

}  // namespace sb::connectors
