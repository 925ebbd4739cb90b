#include "tests/support/fake_anthropic_server.h"

namespace sb::test {
namespace {

using nlohmann::json;

std::string error_type_for(int status) {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 429: return "rate_limit_error";
    case 529: return "overloaded_error";
    default: return "api_error";
  }
}

json error_body(const FakeAnthropicServer::Reply& reply, int status) {
  std::string type = reply.error_type.empty() ? error_type_for(status) : reply.error_type;
  return {{"type", "error"}, {"error", {{"type", type}, {"message", reply.error_message}}}};
}

json usage_json(const FakeAnthropicServer::Usage& u, bool start_of_stream) {
  return {{"input_tokens", u.input_tokens},
          {"cache_creation_input_tokens", u.cache_creation_input_tokens},
          {"cache_read_input_tokens", u.cache_read_input_tokens},
          {"output_tokens", start_of_stream ? 1 : u.output_tokens}};
}

std::string sse(const std::string& name, const json& data) { return "event: " + name + "\ndata: " + data.dump() + "\n\n"; }

// Splits text into pieces of `size` bytes (at least one piece).
std::vector<std::string> pieces(const std::string& text, size_t size) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size(); i += size) out.push_back(text.substr(i, size));
  if (out.empty()) out.emplace_back();
  return out;
}

json whole_message(const FakeAnthropicServer::Reply& reply, const std::string& model, const std::string& stop_reason) {
  json content = json::array();
  if (reply.thinking) content.push_back({{"type", "thinking"}, {"thinking", "let me see"}, {"signature", "sig"}});
  if (!reply.text.empty()) content.push_back({{"type", "text"}, {"text", reply.text}});
  for (const auto& t : reply.tool_uses)
    content.push_back({{"type", "tool_use"}, {"id", t.id}, {"name", t.name}, {"input", t.input}});
  json message = {{"id", "msg_fake"}, {"type", "message"}, {"role", "assistant"}, {"model", model},
                  {"content", content}, {"stop_reason", stop_reason}, {"stop_sequence", nullptr}};
  if (!reply.omit_usage) message["usage"] = usage_json(reply.usage, false);
  return message;
}

RawReply stream_message(const FakeAnthropicServer::Reply& reply, const std::string& model, const std::string& stop_reason) {
  json start = {{"id", "msg_fake"}, {"type", "message"}, {"role", "assistant"}, {"model", model},
                {"content", json::array()}, {"stop_reason", nullptr}, {"stop_sequence", nullptr}};
  if (!reply.omit_usage) start["usage"] = usage_json(reply.usage, true);
  std::vector<std::string> events = {sse("message_start", {{"type", "message_start"}, {"message", start}}),
                                     sse("ping", {{"type", "ping"}})};
  size_t first_content = 0;
  int block = 0;
  auto open_block = [&](const json& content_block) {
    events.push_back(sse("content_block_start", {{"type", "content_block_start"}, {"index", block}, {"content_block", content_block}}));
  };
  auto delta = [&](const json& d) {
    events.push_back(sse("content_block_delta", {{"type", "content_block_delta"}, {"index", block}, {"delta", d}}));
    if (first_content == 0) first_content = events.size() - 1;
  };
  auto close_block = [&] {
    events.push_back(sse("content_block_stop", {{"type", "content_block_stop"}, {"index", block}}));
    ++block;
  };
  if (reply.thinking) {
    open_block({{"type", "thinking"}, {"thinking", ""}});
    events.push_back(sse("content_block_delta", {{"type", "content_block_delta"}, {"index", block},
                                                 {"delta", {{"type", "thinking_delta"}, {"thinking", "let me see"}}}}));
    events.push_back(sse("content_block_delta", {{"type", "content_block_delta"}, {"index", block},
                                                 {"delta", {{"type", "signature_delta"}, {"signature", "sig"}}}}));
    close_block();
  }
  if (!reply.text.empty()) {
    open_block({{"type", "text"}, {"text", ""}});
    for (const auto& piece : pieces(reply.text, 4)) delta({{"type", "text_delta"}, {"text", piece}});
    close_block();
  }
  for (const auto& t : reply.tool_uses) {
    open_block({{"type", "tool_use"}, {"id", t.id}, {"name", t.name}, {"input", json::object()}});
    delta({{"type", "input_json_delta"}, {"partial_json", ""}});  // Anthropic opens with an empty one
    for (const auto& piece : pieces(t.input.dump(), 5)) delta({{"type", "input_json_delta"}, {"partial_json", piece}});
    close_block();
  }
  json message_delta = {{"type", "message_delta"}, {"delta", {{"stop_reason", stop_reason}, {"stop_sequence", nullptr}}}};
  if (!reply.omit_usage) message_delta["usage"] = {{"output_tokens", reply.usage.output_tokens}};
  events.push_back(sse("message_delta", message_delta));
  events.push_back(sse("ping", {{"type", "ping"}}));
  events.push_back(sse("message_stop", {{"type", "message_stop"}}));
  std::string error_event = sse("error", error_body(reply, 529));
  RawReply raw = sse_reply(std::move(events), first_content, reply, error_event);
  raw.piece_interval_ms = reply.event_interval_ms;
  return raw;
}

}  // namespace

FakeAnthropicServer::FakeAnthropicServer()
    : upstream_([this](const Recorded& request) { return respond_with(request, replies_.pop().value_or(Reply{})); }) {}

std::string FakeAnthropicServer::base_url() const { return upstream_.root_url(); }

void FakeAnthropicServer::enqueue(Reply reply) { replies_.push(std::move(reply)); }

std::vector<FakeAnthropicServer::Recorded> FakeAnthropicServer::requests() const { return upstream_.requests(); }

std::string FakeAnthropicServer::echo_text(const std::string& request_body) {
  auto body = json::parse(request_body, nullptr, false);
  std::string last;
  if (body.is_object() && body.contains("messages") && body["messages"].is_array())
    for (const auto& m : body["messages"]) {
      if (!m.is_object() || m.value("role", "") != "user" || !m.contains("content")) continue;
      const json& content = m["content"];
      if (content.is_string()) {
        last = content.get<std::string>();
        continue;
      }
      std::string text;
      for (const auto& block : content)
        if (block.is_object() && block.value("type", "") == "text") text += block.value("text", "");
      if (!text.empty()) last = text;
    }
  return "echo: " + last;
}

RawReply FakeAnthropicServer::respond_with(const Recorded& request, Reply reply) {
  if (reply.status < 200 || reply.status >= 300) return json_reply(reply, error_body(reply, reply.status).dump());
  if (request.path != "/v1/messages") {
    Reply not_found;
    not_found.status = 404;
    not_found.error_message = "no route " + request.path;
    return json_reply(not_found, error_body(not_found, 404).dump());
  }
  auto body = json::parse(request.body, nullptr, false);
  const std::string model = body.is_object() ? body.value("model", "unknown") : "unknown";
  if (reply.text.empty() && reply.tool_uses.empty()) reply.text = echo_text(request.body);
  std::string stop_reason = reply.stop_reason;
  if (stop_reason.empty()) stop_reason = reply.tool_uses.empty() ? "end_turn" : "tool_use";
  if (body.is_object() && body.value("stream", false)) return stream_message(reply, model, stop_reason);
  return json_reply(reply, whole_message(reply, model, stop_reason).dump());
}

}  // namespace sb::test
