#pragma once
// Executes a RouteDecision: tries its targets in order and falls back to the next one when
// a target fails in a way another may not (connect errors, timeouts, 408/409/429/5xx) and
// nothing has reached the client yet. It never changes the decision's target list.
#include <functional>
#include <string>

#include "connectors/provider.h"
#include "connectors/provider_registry.h"
#include "policies/route_decision.h"

namespace sb::gateway {

class Dispatcher {
 public:
  explicit Dispatcher(const connectors::ProviderRegistry& providers) : providers_(providers) {}

  struct Completion {
    ChatResponse response;
    std::string target;  // the model that answered
  };
  // Throws the last target's ProviderError, or ApiError 503 when no target can be tried.
  Completion complete(const policies::RouteDecision& decision, const ChatRequest& request) const;

  // on_start is called once, with the answering model, just before its first chunk.
  struct StreamOutcome {
    connectors::StreamResult result;
    std::string target;
  };
  StreamOutcome stream(const policies::RouteDecision& decision, const ChatRequest& request,
                       const std::function<void(const std::string& target)>& on_start,
                       const connectors::ChunkSink& sink) const;

 private:
  connectors::Provider* provider_for(const policies::Target& target) const;
  // Calls attempt(provider, target) for each target until one returns; rethrows the last
  // failure when `may_fall_back()` says the failure reached the client or none is left.
  template <typename Attempt>
  auto try_targets(const policies::RouteDecision& decision, const Attempt& attempt,
                   const std::function<bool()>& may_fall_back) const;

  const connectors::ProviderRegistry& providers_;
};

}  // namespace sb::gateway
