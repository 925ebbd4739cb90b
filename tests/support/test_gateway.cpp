#include "tests/support/test_gateway.h"

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace sb::test {
namespace {

httplib::Headers with_bearer(httplib::Headers headers, const std::string& key) {
  if (!key.empty()) headers.emplace("Authorization", "Bearer " + key);
  return headers;
}

}  // namespace

TestGateway::TestGateway(const std::string& yaml, TestGatewayOptions options) : options_(std::move(options)) {
  start(yaml);
}

TestGateway::~TestGateway() { stop(); }

void TestGateway::restart(const std::string& yaml) {
  stop();
  start(yaml);
}

void TestGateway::start(const std::string& yaml) {
  config_ = config::parse_config(yaml, (dir_.path() / "test.yaml").string(),
                                 [](std::string_view) { return std::nullopt; });
  providers_ = std::make_unique<connectors::ProviderRegistry>(config_, options_.local);
  server_ = std::make_unique<gateway::Server>(config_, *providers_, options_.dispatch);
  server_->bind("127.0.0.1", 0);
  server_->set_ready(true);
  thread_ = std::thread([this] { server_->run(); });
  // Requests (and stop()) are only heard once the server listens: wait for it.
  for (int i = 0; i < 500; ++i) {
    if (client().Get("/healthz")) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const int silent_port = port();
  stop();
  throw std::runtime_error("test gateway on port " + std::to_string(silent_port) + " never answered /healthz");
}

void TestGateway::stop() {
  if (!server_) return;
  server_->stop();
  thread_.join();
  server_.reset();
  providers_.reset();
}

httplib::Client TestGateway::client() const {
  httplib::Client c("127.0.0.1", server_->port());
  c.set_read_timeout(30, 0);
  return c;
}

httplib::Result TestGateway::post(const std::string& path, const nlohmann::json& body, const std::string& key,
                                  httplib::Headers headers) const {
  return client().Post(path.c_str(), with_bearer(std::move(headers), key), body.dump(), "application/json");
}

httplib::Result TestGateway::get(const std::string& path, const std::string& key, httplib::Headers headers) const {
  return client().Get(path.c_str(), with_bearer(std::move(headers), key));
}

}  // namespace sb::test
