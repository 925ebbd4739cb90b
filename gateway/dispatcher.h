#pragma once
// Executes a RouteDecision: tries its targets in order, retrying a target that failed in a
// transient way (connect errors, timeouts, 408/409/429/5xx) up to its max_retries with
// backoff, then falling back to the next target on any retriable failure — but only while
// nothing has reached the client. Targets whose circuit breaker is open (too many
// consecutive failures lately) are skipped until their cooldown ends. It never changes the
// decision's target list, so a device-only request never reaches a remote target.
#include <chrono>
#include <functional>
#include <string>

#include "connectors/circuit_breaker.h"
#include "connectors/provider.h"
#include "connectors/provider_registry.h"
#include "connectors/retry_policy.h"
#include "core/config/config.h"
#include "policies/decision/request_redaction.h"
#include "policies/route_decision.h"

namespace sb::gateway {

class Dispatcher {
 public:
  // The timing of retries and cooldowns, and the clock, sleep and randomness they use
  // (injected so tests run without waiting).
  struct Options {
    connectors::RetryPolicy retry;
    connectors::CircuitBreaker::Settings breaker;
    std::function<void(std::chrono::milliseconds)> sleep;  // default: this thread sleeps
    std::function<double()> random;                        // uniform in [0, 1); default: random_device
    connectors::CircuitBreaker::Now now;                   // default: steady_clock::now
  };

  // config and providers must outlive the dispatcher. Thread-safe.
  Dispatcher(const config::Config& config, const connectors::ProviderRegistry& providers, Options options = {});

  struct Completion {
    ChatResponse response;
    std::string target;  // the model that answered
  };
  // `redacted` is the request with its findings replaced by placeholders: targets the
  // decision marks `redacted` receive it (never `request`), and the placeholders in their
  // answers are restored. Throws the last target's ProviderError, or ApiError 503 when no
  // target can be tried.
  Completion complete(const policies::RouteDecision& decision, const ChatRequest& request,
                      const policies::RedactedRequest* redacted = nullptr) const;

  // on_start is called once, with the answering model, just before its first chunk. A
  // failure after that is thrown as is: the stream cannot be retried or fall back.
  struct StreamOutcome {
    connectors::StreamResult result;
    std::string target;
  };
  StreamOutcome stream(const policies::RouteDecision& decision, const ChatRequest& request,
                       const std::function<void(const std::string& target)>& on_start,
                       const connectors::ChunkSink& sink, const policies::RedactedRequest* redacted = nullptr) const;

  // The breaker of one target (for tests and the admin API).
  connectors::CircuitBreaker::State breaker_state(const policies::Target& target) const;

 private:
  connectors::Provider* provider_for(const policies::Target& target) const;
  int max_retries(const policies::Target& target) const;
  connectors::CircuitBreaker& breaker(const policies::Target& target) const;
  // Calls attempt(provider, target) for each target (and again on a transient failure)
  // until one returns; rethrows a failure as soon as `may_fall_back()` says it reached the
  // client, or the last one when no target is left.
  template <typename Attempt>
  auto try_targets(const policies::RouteDecision& decision, const Attempt& attempt,
                   const std::function<bool()>& may_fall_back) const;

  const config::Config& config_;
  const connectors::ProviderRegistry& providers_;
  Options options_;
  mutable connectors::CircuitBreakers breakers_;
};

}  // namespace sb::gateway
