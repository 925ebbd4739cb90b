#include "gateway/dispatcher.h"

#include <optional>
#include <random>
#include <thread>

#include "connectors/upstream_error.h"
#include "gateway/answer_restorer.h"

namespace sb::gateway {

using connectors::CircuitBreaker;
using connectors::Provider;
using connectors::ProviderError;

namespace {

Dispatcher::Options with_defaults(Dispatcher::Options options) {
  if (!options.sleep) options.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  if (!options.random)
    options.random = [] {
      std::random_device device;  // only drawn before a retry: cheap enough, and no shared state
      return std::uniform_real_distribution<double>(0.0, 1.0)(device);
    };
  if (!options.now) options.now = CircuitBreaker::Clock::now;
  return options;
}

// What `target` receives: the redacted copy when the decision says so. Fails closed: a
// target marked for redaction never gets the original.
ChatRequest request_for(const policies::Target& target, const ChatRequest& request,
                        const policies::RedactedRequest* redacted) {
  if (target.redacted && !redacted)
    throw ApiError(500, "internal_error", "redaction_missing",
                   "internal error: no redacted request for target '" + target.model + "'; nothing was sent");
  ChatRequest call = target.redacted ? redacted->request : request;
  call.model = target.model;
  return call;
}

// A target that cannot serve this request as asked (it is not failing): another target may.
bool refuses_request(const ProviderError& error) { return error.status() == 400; }

}  // namespace

Dispatcher::Dispatcher(const config::Config& config, const connectors::ProviderRegistry& providers, Options options)
    : config_(config),
      providers_(providers),
      options_(with_defaults(std::move(options))),
      breakers_(options_.breaker, options_.now) {}

Provider* Dispatcher::provider_for(const policies::Target& target) const {
  // A local model's target names no provider: its LocalProvider is found by model name.
  if (target.provider.empty()) return providers_.local(target.model);
  return providers_.remote(target.provider);
}

int Dispatcher::max_retries(const policies::Target& target) const {
  const config::ProviderConfig* provider = config_.find_provider(target.provider);
  return provider ? provider->max_retries : 0;  // the local engine fails for reasons a retry does not fix
}

CircuitBreaker& Dispatcher::breaker(const policies::Target& target) const {
  return breakers_.of((target.provider.empty() ? "local" : target.provider) + "/" + target.model);
}

CircuitBreaker::State Dispatcher::breaker_state(const policies::Target& target) const {
  return breaker(target).state();
}

template <typename Attempt>
auto Dispatcher::try_targets(const policies::RouteDecision& decision, const Attempt& attempt,
                             const std::function<bool()>& may_fall_back) const {
  std::optional<ProviderError> last_error;
  bool cooling_down = false;
  for (const auto& target : decision.targets) {
    Provider* provider = provider_for(target);
    if (!provider) continue;  // configured but not served by this build / not loaded
    CircuitBreaker& health = breaker(target);
    for (int retry = 0;; ++retry) {
      if (!health.allow()) {
        cooling_down = true;
        break;
      }
      try {
        auto result = attempt(*provider, target);
        health.record_success();
        return result;
      } catch (const ProviderError& e) {
        if (!e.retriable()) {  // the target is fine; the request is what fails
          health.record_success();
          throw;
        }
        // A busy or unloadable local model is not an unhealthy upstream, nor is a target
        // refusing this request's shape (400, e.g. n > 1 to Anthropic): only remote failures
        // count toward the cooldown. A refusal leaves the breaker as it was either way, so
        // such requests cannot keep a failing target looking healthy.
        if (!target.provider.empty() && !refuses_request(e)) health.record_failure();
        if (!may_fall_back()) throw;
        last_error = e;
        if (retry >= max_retries(target) || !connectors::worth_retrying_same_target(e)) break;
        auto delay = options_.retry.delay_before_retry(retry + 1, e.retry_after_ms(), options_.random());
        if (!delay) break;  // it asked for a longer pause than a client should wait
        options_.sleep(*delay);
      } catch (const ApiError&) {  // a refusal of this request, not a sign of ill health
        health.record_success();
        throw;
      } catch (...) {
        if (!target.provider.empty()) health.record_failure();
        throw;
      }
    }
  }
  if (last_error) throw *last_error;
  if (cooling_down)
    throw ApiError(503, "service_unavailable", "no_available_target",
                   "every target of model '" + decision.requested_model +
                       "' failed repeatedly and is cooling down; try again shortly");
  throw ApiError(503, "service_unavailable", "no_available_target",
                 "no target can serve model '" + decision.requested_model + "' right now");
}

Dispatcher::Completion Dispatcher::complete(const policies::RouteDecision& decision, const ChatRequest& request,
                                            const policies::RedactedRequest* redacted) const {
  return try_targets(
      decision,
      [&](Provider& provider, const policies::Target& target) {
        Completion completion{provider.complete(request_for(target, request, redacted)), target.model};
        if (target.redacted) restore_response(completion.response, redacted->mapping);
        return completion;
      },
      [] { return true; });
}

Dispatcher::StreamOutcome Dispatcher::stream(const policies::RouteDecision& decision, const ChatRequest& request,
                                             const std::function<void(const std::string&)>& on_start,
                                             const connectors::ChunkSink& sink,
                                             const policies::RedactedRequest* redacted) const {
  bool delivered = false;
  return try_targets(
      decision,
      [&](Provider& provider, const policies::Target& target) {
        const ChatRequest call = request_for(target, request, redacted);
        connectors::ChunkSink out = sink;
        if (target.redacted) out = StreamRestorer(redacted->mapping, sink);
        auto result = provider.stream(call, [&](const ChatChunk& chunk) {
          if (!delivered) on_start(target.model);
          delivered = true;
          return out(chunk);
        });
        return StreamOutcome{result, target.model};
      },
      [&] { return !delivered; });
}

}  // namespace sb::gateway
