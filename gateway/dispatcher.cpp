#include "gateway/dispatcher.h"

#include <optional>

namespace sb::gateway {

using connectors::Provider;
using connectors::ProviderError;

Provider* Dispatcher::provider_for(const policies::Target& target) const {
  // Local models have no Provider in this build yet: their targets are skipped.
  return target.provider.empty() ? nullptr : providers_.remote(target.provider);
}

template <typename Attempt>
auto Dispatcher::try_targets(const policies::RouteDecision& decision, const Attempt& attempt,
                             const std::function<bool()>& may_fall_back) const {
  std::optional<ProviderError> last_error;
  for (const auto& target : decision.targets) {
    Provider* provider = provider_for(target);
    if (!provider) continue;  // configured but not served by this build / not loaded
    try {
      return attempt(*provider, target);
    } catch (const ProviderError& e) {
      if (!e.retriable() || !may_fall_back()) throw;
      last_error = e;
    }
  }
  if (last_error) throw *last_error;
  throw ApiError(503, "service_unavailable", "no_available_target",
                 "no target can serve model '" + decision.requested_model + "' right now");
}

Dispatcher::Completion Dispatcher::complete(const policies::RouteDecision& decision,
                                            const ChatRequest& request) const {
  return try_targets(
      decision,
      [&](Provider& provider, const policies::Target& target) {
        ChatRequest call = request;
        call.model = target.model;
        return Completion{provider.complete(call), target.model};
      },
      [] { return true; });
}

Dispatcher::StreamOutcome Dispatcher::stream(const policies::RouteDecision& decision, const ChatRequest& request,
                                             const std::function<void(const std::string&)>& on_start,
                                             const connectors::ChunkSink& sink) const {
  bool delivered = false;
  return try_targets(
      decision,
      [&](Provider& provider, const policies::Target& target) {
        ChatRequest call = request;
        call.model = target.model;
        auto result = provider.stream(call, [&](const ChatChunk& chunk) {
          if (!delivered) on_start(target.model);
          delivered = true;
          return sink(chunk);
        });
        return StreamOutcome{result, target.model};
      },
      [&] { return !delivered; });
}

}  // namespace sb::gateway
