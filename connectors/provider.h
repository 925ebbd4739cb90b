#pragma once
// The one interface every target implements: the local engine and each cloud API.
// A provider declares its locality; privacy rules are enforced on that declaration,
// never on a provider's name.
#include <functional>
#include <optional>
#include <string>

#include "core/api_error.h"
#include "core/chat.h"
#include "core/config/config.h"

namespace sb::connectors {

using config::Locality;

// A failed call. Carries the HTTP status and OpenAI-style error the client would get if no
// other target is tried, and whether another attempt (retry or fallback) may succeed.
class ProviderError : public ApiError {
 public:
  ProviderError(int status, std::string type, std::string code, const std::string& message,
                bool retriable, std::optional<int64_t> retry_after_ms = std::nullopt)
      : ApiError(status, std::move(type), std::move(code), message), retriable_(retriable) {
    set_retry_after_ms(retry_after_ms);  // kept in ApiError so it survives being copied as one
  }
  bool retriable() const { return retriable_; }

 private:
  bool retriable_;
};

// Receives streamed chunks in order. Returns false when the client is gone: the provider
// then stops the upstream call as soon as it can and returns what it has.
using ChunkSink = std::function<bool(const ChatChunk&)>;

struct StreamResult {
  std::optional<Usage> usage;  // as reported by the target; nullopt when it sent none
  std::string finish_reason;
  bool cancelled = false;      // the sink returned false
};

class Provider {
 public:
  virtual ~Provider() = default;
  virtual const std::string& name() const = 0;
  virtual Locality locality() const = 0;

  // request.model is the concrete model name this provider serves. Both calls block until
  // the answer is complete and throw ProviderError on failure. stream() delivers at least
  // one chunk before it returns normally.
  virtual ChatResponse complete(const ChatRequest& request) = 0;
  virtual StreamResult stream(const ChatRequest& request, const ChunkSink& sink) = 0;
};

}  // namespace sb::connectors
