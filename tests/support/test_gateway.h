#pragma once
// An in-process gateway for tests: parses a config, builds its providers and Server, serves
// on 127.0.0.1 at a free port from a background thread, and stops it on destruction.
// Each gateway gets its own temp dir as the config's folder, so a config without `ledger:`
// keeps its SQLite ledger there rather than in the working directory.
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "connectors/provider_registry.h"
#include "core/config/config.h"
#include "gateway/dispatcher.h"
#include "gateway/server.h"
#include "tests/support/paths.h"

namespace sb::test {

struct TestGatewayOptions {
  connectors::LocalProviderOptions local;
  gateway::Dispatcher::Options dispatch;
};

class TestGateway {
 public:
  // Environment lookups see nothing: every ${VAR} in `yaml` is unset. Returns once the
  // gateway answers /healthz; throws if the config is invalid or the gateway never answers.
  explicit TestGateway(const std::string& yaml, TestGatewayOptions options = {});
  ~TestGateway();
  TestGateway(const TestGateway&) = delete;
  TestGateway& operator=(const TestGateway&) = delete;

  // Stops the gateway and starts it again on `yaml` (same options, same temp dir and ledger).
  void restart(const std::string& yaml);

  // A new client for this gateway; one per call, so threads may each make their own.
  httplib::Client client() const;
  // POSTs `body` as JSON; a non-empty `key` is sent as "Authorization: Bearer <key>".
  httplib::Result post(const std::string& path, const nlohmann::json& body, const std::string& key = "",
                       httplib::Headers headers = {}) const;
  httplib::Result get(const std::string& path, const std::string& key = "", httplib::Headers headers = {}) const;

  int port() const { return server_->port(); }
  gateway::Server& server() { return *server_; }
  connectors::ProviderRegistry& providers() { return *providers_; }
  const config::Config& config() const { return config_; }

 private:
  void start(const std::string& yaml);
  void stop();

  TestGatewayOptions options_;
  TempDir dir_;  // the config's folder: relative paths (ledger.path) land here
  config::Config config_;
  std::unique_ptr<connectors::ProviderRegistry> providers_;
  std::unique_ptr<gateway::Server> server_;
  std::thread thread_;
};

}  // namespace sb::test
