#pragma once
// The HTTP front: binds, authenticates, routes each endpoint to its handler, and turns
// every failure into an OpenAI-style error body. Holds no per-request state.
#include <atomic>
#include <memory>
#include <string>

#include <httplib.h>

#include "connectors/provider_registry.h"
#include "core/config/config.h"
#include "gateway/anthropic_api/messages_endpoint.h"
#include "gateway/auth.h"
#include "gateway/chat_completions.h"
#include "gateway/dispatcher.h"
#include "gateway/metering.h"
#include "gateway/request_pipeline.h"
#include "gateway/spend_endpoint.h"
#include "policies/policy_engine.h"

namespace sb::gateway {

class Server {
 public:
  // config and providers must outlive the server.
  // `dispatch` tunes retries and cooldowns (tests inject their clock and sleep).
  Server(const config::Config& config, const connectors::ProviderRegistry& providers,
         Dispatcher::Options dispatch = {});

  // Binds host:port (port 0 picks a free one); throws std::runtime_error naming the address.
  void bind(const std::string& host, int port);
  int port() const { return port_; }
  void run();   // serves until stop(); call after bind()
  void stop();  // thread-safe; run() returns once in-flight requests finished
  void set_ready(bool ready) { ready_ = ready; }

 private:
  void install_routes();
  // Resolves the Bearer key (or x-api-key); throws ApiError 401 invalid_api_key.
  const config::TeamConfig& authenticate(const httplib::Request& req) const;

  const config::Config& config_;
  KeyStore keys_;
  Dispatcher dispatcher_;
  policies::PolicyEngine policy_;
  Metering metering_;  // opens config.ledger; reconciles what a dead process left open
  RequestPipeline pipeline_;
  ChatCompletions chat_;
  anthropic_api::MessagesEndpoint messages_;
  SpendEndpoint spend_;
  httplib::Server http_;
  int port_ = 0;
  int listen_socket_ = -1;  // the bound socket, to widen its accept backlog
  std::atomic<bool> ready_{false};
  std::atomic<bool> serving_{false};         // run() entered and not returned
  std::atomic<bool> stop_requested_{false};  // stop() called (maybe before run())
};

}  // namespace sb::gateway
