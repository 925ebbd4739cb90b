#include "gateway/server.h"

#include <stdexcept>

#include "gateway/http_util.h"
#include "gateway/models_list.h"

namespace sb::gateway {
namespace {

constexpr int kWorkerThreads = 64;  // streams hold a thread each for their whole length

// Runs a handler and turns whatever it throws into the error response.
template <typename Handler>
httplib::Server::Handler guarded(Handler handler) {
  return [handler](const httplib::Request& req, httplib::Response& res) {
    try {
      handler(req, res);
    } catch (const ApiError& e) {
      send_error(res, e);
    } catch (const std::exception& e) {
      send_error(res, internal_error(e));
    }
  };
}

}  // namespace

Server::Server(const config::Config& config, const connectors::ProviderRegistry& providers)
    : config_(config), keys_(config), dispatcher_(providers), chat_(config, dispatcher_) {
  http_.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  http_.set_payload_max_length(config.server.max_body_bytes);
  const auto timeout_s = std::max<int64_t>(1, config.server.request_timeout_ms / 1000);
  http_.set_read_timeout(timeout_s, 0);
  http_.set_write_timeout(timeout_s, 0);
  install_routes();
}

const config::TeamConfig& Server::authenticate(const httplib::Request& req) const {
  const std::string authorization = req.get_header_value("Authorization");
  const std::string_view token = bearer_token(authorization);
  if (token.empty())
    throw ApiError(401, "invalid_request_error", "invalid_api_key",
                   "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY'.");
  const config::TeamConfig* team = keys_.authenticate(token);
  if (!team) throw ApiError(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
  return *team;
}

void Server::install_routes() {
  http_.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, {{"status", "ok"}});
  });
  http_.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, ready_ ? 200 : 503, {{"status", ready_ ? "ready" : "starting"}});
  });
  http_.Get("/v1/models", guarded([this](const httplib::Request& req, httplib::Response& res) {
    authenticate(req);
    send_json(res, 200, models_list(config_));
  }));
  http_.Post("/v1/chat/completions", guarded([this](const httplib::Request& req, httplib::Response& res) {
    chat_.handle(authenticate(req), req, res);
  }));
  // Statuses httplib produces itself (unknown path, body over max_body_bytes, bad method)
  // get an OpenAI-style body too.
  http_.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413)
      return send_error(res, ApiError(413, "invalid_request_error", "request_too_large",
                                      "The request body is larger than the limit of " +
                                          std::to_string(config_.server.max_body_bytes) + " bytes."));
    if (res.status == 404)
      return send_error(res, ApiError(404, "invalid_request_error", "unknown_url",
                                      "Unknown request URL: " + req.method + " " + req.path));
    send_error(res, ApiError(res.status, "invalid_request_error", "", "HTTP " + std::to_string(res.status)));
  });
}

void Server::bind(const std::string& host, int port) {
  if (port == 0) {
    port_ = http_.bind_to_any_port(host);
    if (port_ <= 0) throw std::runtime_error("cannot listen on " + host + ": no free port");
  } else {
    if (!http_.bind_to_port(host, port))
      throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) +
                               " (address in use or not available)");
    port_ = port;
  }
}

void Server::run() { http_.listen_after_bind(); }

void Server::stop() { http_.stop(); }

}  // namespace sb::gateway
