#include "gateway/anthropic_api/messages_stream.h"

#include "gateway/anthropic_api/anthropic_errors.h"
#include "gateway/anthropic_api/messages_response.h"

namespace sb::gateway::anthropic_api {
namespace {

using nlohmann::json;

std::string event(const char* name, const json& data) {
  return std::string("event: ") + name + "\ndata: " + data.dump() + "\n\n";
}

}  // namespace

std::string MessagesStreamEncoder::start_message(const ChatChunk& chunk) {
  if (started_) return {};
  started_ = true;
  if (!chunk.model.empty()) model_ = chunk.model;
  // Input tokens are not known before the target reports usage at the end: message_delta
  // carries the real counts.
  json message = {{"id", message_id_},   {"type", "message"},        {"role", "assistant"},
                  {"model", model_},     {"content", json::array()}, {"stop_reason", nullptr},
                  {"stop_sequence", nullptr}, {"usage", usage_to_json(Usage{})}};
  return event("message_start", {{"type", "message_start"}, {"message", std::move(message)}});
}

std::string MessagesStreamEncoder::close_block() {
  if (open_ == Block::None) return {};
  open_ = Block::None;
  open_tool_ = -1;
  return event("content_block_stop", {{"type", "content_block_stop"}, {"index", block_index_}});
}

std::string MessagesStreamEncoder::open_block(Block kind, const json& content_block) {
  std::string out = close_block();
  open_ = kind;
  ++block_index_;
  return out + event("content_block_start",
                     {{"type", "content_block_start"}, {"index", block_index_}, {"content_block", content_block}});
}

std::string MessagesStreamEncoder::chunk(const ChatChunk& chunk) {
  std::string out = start_message(chunk);
  if (!chunk.content.empty()) {
    if (open_ != Block::Text) out += open_block(Block::Text, {{"type", "text"}, {"text", ""}});
    out += event("content_block_delta", {{"type", "content_block_delta"},
                                         {"index", block_index_},
                                         {"delta", {{"type", "text_delta"}, {"text", chunk.content}}}});
  }
  for (const auto& call : chunk.tool_calls) {
    if (open_ != Block::ToolUse || open_tool_ != call.index) {
      out += open_block(Block::ToolUse,
                        {{"type", "tool_use"}, {"id", call.id}, {"name", call.name}, {"input", json::object()}});
      open_tool_ = call.index;
    }
    if (!call.arguments.empty())
      out += event("content_block_delta", {{"type", "content_block_delta"},
                                           {"index", block_index_},
                                           {"delta", {{"type", "input_json_delta"}, {"partial_json", call.arguments}}}});
  }
  if (!chunk.finish_reason.empty()) finish_reason_ = chunk.finish_reason;
  return out;
}

std::string MessagesStreamEncoder::finish(const connectors::StreamResult& result) {
  std::string out = start_message({}) + close_block();
  const std::string& finish = result.finish_reason.empty() ? finish_reason_ : result.finish_reason;
  out += event("message_delta", {{"type", "message_delta"},
                                 {"delta", {{"stop_reason", stop_reason(finish)}, {"stop_sequence", nullptr}}},
                                 {"usage", usage_to_json(result.usage.value_or(Usage{}))}});
  return out + event("message_stop", {{"type", "message_stop"}});
}

std::string MessagesStreamEncoder::error(const ApiError& e) { return event("error", error_body(e)); }

}  // namespace sb::gateway::anthropic_api
