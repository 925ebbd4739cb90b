#include "tests/support/fake_openai_server.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace sb::test {

using nlohmann::json;

FakeOpenAIServer::FakeOpenAIServer() {
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
  server_.Post(".*", handler);
  server_.Get(".*", handler);
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("fake upstream: cannot bind");
  // Bound already: connections wait in the listen backlog until the thread accepts them.
  thread_ = std::thread([this] { server_.listen_after_bind(); });
}

FakeOpenAIServer::~FakeOpenAIServer() {
  server_.stop();
  thread_.join();
}

std::string FakeOpenAIServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

void FakeOpenAIServer::enqueue(Reply reply) {
  std::lock_guard lock(mutex_);
  replies_.push_back(std::move(reply));
}

std::vector<FakeOpenAIServer::Recorded> FakeOpenAIServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::string FakeOpenAIServer::echo_text(const std::string& request_body) {
  auto body = json::parse(request_body, nullptr, false);
  std::string last;
  if (body.is_object() && body.contains("messages"))
    for (const auto& m : body["messages"])
      if (m.value("role", "") == "user" && m.contains("content") && m["content"].is_string())
        last = m["content"].get<std::string>();
  return "echo: " + last;
}

void FakeOpenAIServer::handle(const httplib::Request& req, httplib::Response& res) {
  std::optional<Reply> reply;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back({req.method, req.path, req.body, {req.headers.begin(), req.headers.end()}});
    if (!replies_.empty()) {
      reply = std::move(replies_.front());
      replies_.erase(replies_.begin());
    }
  }
  if (!reply) return answer_echo(req, res);
  res.status = reply->status;
  for (const auto& [k, v] : reply->headers) res.set_header(k, v);
  if (reply->sse_events.empty()) {
    res.set_content(reply->body, "application/json");
    return;
  }
  std::string stream;
  for (const auto& e : reply->sse_events) stream += "data: " + e + "\n\n";
  if (!reply->cut_after_events) stream += "data: [DONE]\n\n";
  res.set_content(stream, "text/event-stream");
}

void FakeOpenAIServer::answer_echo(const httplib::Request& req, httplib::Response& res) {
  auto body = json::parse(req.body, nullptr, false);
  const std::string model = body.is_object() ? body.value("model", "unknown") : "unknown";
  const std::string text = echo_text(req.body);
  const json usage = {{"prompt_tokens", 11}, {"completion_tokens", 7}, {"total_tokens", 18}};
  if (!body.is_object() || !body.value("stream", false)) {
    json answer = {{"id", "chatcmpl-fake"}, {"object", "chat.completion"}, {"created", 1700000000},
                   {"model", model},
                   {"choices", json::array({{{"index", 0},
                                             {"message", {{"role", "assistant"}, {"content", text}}},
                                             {"finish_reason", "stop"}}})},
                   {"usage", usage}};
    res.set_content(answer.dump(), "application/json");
    return;
  }
  auto chunk = [&](json delta, json finish) {
    return json{{"id", "chatcmpl-fake"}, {"object", "chat.completion.chunk"}, {"created", 1700000000},
                {"model", model},
                {"choices", json::array({{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}})}};
  };
  std::string stream = "data: " + chunk({{"role", "assistant"}, {"content", ""}}, nullptr).dump() + "\n\n";
  for (size_t i = 0; i < text.size(); i += 4)  // several content deltas
    stream += "data: " + chunk({{"content", text.substr(i, 4)}}, nullptr).dump() + "\n\n";
  stream += "data: " + chunk(json::object(), "stop").dump() + "\n\n";
  bool wants_usage = body.contains("stream_options") && body["stream_options"].value("include_usage", false);
  if (wants_usage) {
    json u = {{"id", "chatcmpl-fake"}, {"object", "chat.completion.chunk"}, {"created", 1700000000},
              {"model", model}, {"choices", json::array()}, {"usage", usage}};
    stream += "data: " + u.dump() + "\n\n";
  }
  stream += "data: [DONE]\n\n";
  res.set_content(stream, "text/event-stream");
}

}  // namespace sb::test
