#include "gateway/server.h"

#include <stdexcept>
#include <thread>

#include <sys/socket.h>

#include "connectors/openai/openai_wire.h"
#include "gateway/anthropic_api/anthropic_errors.h"
#include "gateway/http_util.h"
#include "gateway/models_list.h"

namespace sb::gateway {
namespace {

constexpr int kWorkerThreads = 64;  // streams hold a thread each for their whole length

using ErrorWriter = void (*)(httplib::Response&, const ApiError&);

// Each served API answers errors in its own shape: Anthropic's under /v1/messages,
// OpenAI's everywhere else.
ErrorWriter error_writer_for(const std::string& path) {
  return path.starts_with("/v1/messages") ? anthropic_api::send_error : send_error;
}

// Runs a handler and turns whatever it throws into the error response.
template <typename Handler>
httplib::Server::Handler guarded(Handler handler, ErrorWriter write_error = send_error) {
  return [handler, write_error](const httplib::Request& req, httplib::Response& res) {
    try {
      handler(req, res);
    } catch (const ApiError& e) {
      write_error(res, e);
    } catch (const std::exception& e) {
      write_error(res, internal_error(e));
    }
  };
}

}  // namespace

Server::Server(const config::Config& config, const connectors::ProviderRegistry& providers,
               Dispatcher::Options dispatch)
    : config_(config),
      keys_(config),
      dispatcher_(config, providers, std::move(dispatch)),
      policy_(config, policies::DifficultyModel::builtin(),
              // A local first choice counts its input with the model's own tokenizer once loaded.
              [&providers](const std::string& model, const ChatRequest& request) -> std::optional<int64_t> {
                connectors::LocalProvider* local = providers.local(model);
                return local ? local->count_prompt_tokens(request) : std::nullopt;
              }),
      metering_(config, accounting::open_ledger(config.ledger, Metering::ledger_options(config))),
      pipeline_(policy_, dispatcher_, metering_),
      chat_(pipeline_),
      messages_(pipeline_),
      spend_(config, keys_, metering_) {
  http_.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  http_.set_payload_max_length(config.server.max_body_bytes);
  const auto timeout_s = std::max<int64_t>(1, config.server.request_timeout_ms / 1000);
  http_.set_read_timeout(timeout_s, 0);
  http_.set_write_timeout(timeout_s, 0);
  // Debian's compiled cpp-httplib listens with a backlog of 5: a burst of clients would
  // have connections dropped. Remember the socket to widen its backlog after bind().
  http_.set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_socket_ = sock;
  });
  install_routes();
}

const config::TeamConfig& Server::authenticate(const httplib::Request& req) const {
  const std::string token = presented_api_key(req);
  if (token.empty())
    throw ApiError(401, "invalid_request_error", "invalid_api_key",
                   "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY' or "
                   "'x-api-key: YOUR_KEY'.");
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
  // The decision for a chat completion body, without calling anything.
  http_.Post("/v1/route/explain", guarded([this](const httplib::Request& req, httplib::Response& res) {
    const config::TeamConfig& team = authenticate(req);
    const ChatRequest request = connectors::openai::parse_request(parse_json_body(req));
    send_json(res, 200, pipeline_.explain(team, request, req).to_json());
  }));
  http_.Get("/v1/spend", guarded([this](const httplib::Request& req, httplib::Response& res) {
    spend_.handle(req, res);
  }));
  http_.Post("/v1/messages", guarded([this](const httplib::Request& req, httplib::Response& res) {
    messages_.handle(authenticate(req), req, res);
  }, anthropic_api::send_error));
  // Statuses httplib produces itself (unknown path, body over max_body_bytes, bad method)
  // get an error body in the path's API shape too.
  http_.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const ErrorWriter write_error = error_writer_for(req.path);
    if (res.status == 413)
      return write_error(res, ApiError(413, "invalid_request_error", "request_too_large",
                                      "The request body is larger than the limit of " +
                                          std::to_string(config_.server.max_body_bytes) + " bytes."));
    if (res.status == 404)
      return write_error(res, ApiError(404, "invalid_request_error", "unknown_url",
                                      "Unknown request URL: " + req.method + " " + req.path));
    write_error(res, ApiError(res.status, "invalid_request_error", "", "HTTP " + std::to_string(res.status)));
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
  // listen() again on a listening socket only resizes its queue (Linux).
  if (listen_socket_ >= 0) ::listen(listen_socket_, SOMAXCONN);
}

void Server::run() {
  serving_ = true;
  if (!stop_requested_) http_.listen_after_bind();
  serving_ = false;
}

void Server::stop() {
  stop_requested_ = true;
  // httplib's stop() does nothing before its listen loop runs: a stop() right after run()
  // started on another thread waits for the loop to start (run() re-checks stop_requested_).
  while (serving_ && !http_.is_running()) std::this_thread::yield();
  http_.stop();
}

}  // namespace sb::gateway
