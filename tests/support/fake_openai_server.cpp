#include "tests/support/fake_openai_server.h"

#include <nlohmann/json.hpp>

namespace sb::test {

using nlohmann::json;

FakeOpenAIServer::FakeOpenAIServer() : upstream_([this](const Recorded& r) { return respond(r); }) {}

std::string FakeOpenAIServer::base_url() const { return upstream_.root_url() + "/v1"; }

void FakeOpenAIServer::enqueue(Reply reply) { replies_.push(std::move(reply)); }

std::vector<FakeOpenAIServer::Recorded> FakeOpenAIServer::requests() const { return upstream_.requests(); }

std::string FakeOpenAIServer::echo_text(const std::string& request_body) {
  auto body = json::parse(request_body, nullptr, false);
  std::string last;
  if (body.is_object() && body.contains("messages"))
    for (const auto& m : body["messages"])
      if (m.value("role", "") == "user" && m.contains("content") && m["content"].is_string())
        last = m["content"].get<std::string>();
  return "echo: " + last;
}

RawReply FakeOpenAIServer::respond(const Recorded& request) {
  std::optional<Reply> reply = replies_.pop();
  if (!reply) return answer_echo(request);
  RawReply raw;
  raw.status = reply->status;
  raw.headers = reply->headers;
  raw.body = reply->body;
  raw.first_byte_delay_ms = reply->delay_ms;
  raw.piece_interval_ms = reply->event_interval_ms;
  raw.drop_connection = reply->reset_after_events;
  if (reply->sse_events.empty()) return raw;
  raw.content_type = "text/event-stream";
  for (const auto& e : reply->sse_events) raw.stream.push_back("data: " + e + "\n\n");
  if (!reply->cut_after_events && !reply->reset_after_events) raw.stream.push_back("data: [DONE]\n\n");
  return raw;
}

RawReply FakeOpenAIServer::answer_echo(const Recorded& req) {
  auto body = json::parse(req.body, nullptr, false);
  const std::string model = body.is_object() ? body.value("model", "unknown") : "unknown";
  const std::string text = echo_text(req.body);
  RawReply raw;
  const json usage = {{"prompt_tokens", 11}, {"completion_tokens", 7}, {"total_tokens", 18}};
  if (!body.is_object() || !body.value("stream", false)) {
    json answer = {{"id", "chatcmpl-fake"}, {"object", "chat.completion"}, {"created", 1700000000},
                   {"model", model},
                   {"choices", json::array({{{"index", 0},
                                             {"message", {{"role", "assistant"}, {"content", text}}},
                                             {"finish_reason", "stop"}}})},
                   {"usage", usage}};
    raw.body = answer.dump();
    return raw;
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
  raw.content_type = "text/event-stream";
  raw.stream = {stream};
  return raw;
}

}  // namespace sb::test
