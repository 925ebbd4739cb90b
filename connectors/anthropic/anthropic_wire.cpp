#include "connectors/anthropic/anthropic_wire.h"

#include <algorithm>

#include "connectors/provider.h"
#include "connectors/wire_common.h"

namespace sb::connectors::anthropic {
namespace {

using nlohmann::json;

[[noreturn]] void bad_upstream(const std::string& what) {
  throw ProviderError(502, "upstream_error", "bad_upstream_response",
                      "anthropic returned a malformed message: " + what, true);
}

std::string string_or_empty(const json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key) || obj[key].is_null()) return {};
  if (!obj[key].is_string()) bad_upstream(std::string("'") + key + "' is not a string");
  return obj[key].get<std::string>();
}

json image_block(const ContentPart& part) {
  if (auto inline_image = wire::parse_base64_data_uri(part.image_url))
    return {{"type", "image"},
            {"source", {{"type", "base64"}, {"media_type", inline_image->media_type}, {"data", inline_image->base64}}}};
  return {{"type", "image"}, {"source", {{"type", "url"}, {"url", part.image_url}}}};
}

// Text and image blocks; empty text is dropped (Anthropic rejects empty text blocks).
json content_blocks(const std::vector<ContentPart>& parts) {
  json blocks = json::array();
  for (const auto& p : parts) {
    if (p.kind == ContentPart::Kind::ImageUrl)
      blocks.push_back(image_block(p));
    else if (!p.text.empty())
      blocks.push_back({{"type", "text"}, {"text", p.text}});
  }
  return blocks;
}

json tool_result_block(const Message& m) {
  json block = {{"type", "tool_result"}, {"tool_use_id", m.tool_call_id}};
  bool text_only = std::all_of(m.content.begin(), m.content.end(),
                               [](const ContentPart& p) { return p.kind == ContentPart::Kind::Text; });
  if (text_only)
    block["content"] = m.text();
  else
    block["content"] = content_blocks(m.content);
  return block;
}

json assistant_blocks(const Message& m) {
  json blocks = content_blocks(m.content);
  for (const auto& call : m.tool_calls)
    blocks.push_back({{"type", "tool_use"}, {"id", call.id}, {"name", call.name},
                      {"input", wire::tool_arguments_object(call)}});
  return blocks;
}

// Appends blocks as a turn of `role`, merged into the previous turn when it has the same
// role: Anthropic wants all tool results of one assistant turn in the next single user turn.
void append_turn(json& messages, const char* role, json blocks) {
  if (blocks.empty()) return;
  if (!messages.empty() && messages.back()["role"] == role) {
    for (auto& b : blocks) messages.back()["content"].push_back(std::move(b));
    return;
  }
  messages.push_back({{"role", role}, {"content", std::move(blocks)}});
}

json tool_choice_to_json(const json& choice) {
  if (choice.is_string()) {
    const auto& s = choice.get_ref<const std::string&>();
    if (s == "required") return {{"type", "any"}};
    if (s == "none") return {{"type", "none"}};
    return {{"type", "auto"}};
  }
  if (auto name = wire::forced_tool_name(choice)) return {{"type", "tool"}, {"name", *name}};
  return {{"type", "auto"}};
}

json tool_to_json(const ToolDefinition& tool) {
  json schema = tool.parameters.is_object() && !tool.parameters.empty() ? tool.parameters
                                                                        : json{{"type", "object"}, {"properties", json::object()}};
  json out = {{"name", tool.name}, {"input_schema", std::move(schema)}};
  if (!tool.description.empty()) out["description"] = tool.description;
  return out;
}

int64_t count(const json& usage, const char* key) {
  if (!usage.contains(key) || usage[key].is_null()) return 0;
  if (!usage[key].is_number_integer()) bad_upstream(std::string("usage.") + key + " is not an integer");
  return usage[key].get<int64_t>();
}

}  // namespace

json request_to_json(const ChatRequest& r, const RequestOptions& options) {
  if (r.n != 1)
    throw ProviderError(400, "invalid_request_error", "unsupported_parameter",
                        "anthropic cannot return more than one choice (n > 1)", true);
  json body = {{"model", r.model}, {"max_tokens", r.max_tokens.value_or(options.default_max_tokens)}};
  std::string system;
  json messages = json::array();
  for (const auto& m : r.messages) {
    switch (m.role) {
      case Role::System:
        if (!system.empty()) system += "\n\n";
        system += m.text();
        break;
      case Role::User:
        append_turn(messages, "user", content_blocks(m.content));
        break;
      case Role::Assistant:
        append_turn(messages, "assistant", assistant_blocks(m));
        break;
      case Role::Tool:
        append_turn(messages, "user", json::array({tool_result_block(m)}));
        break;
    }
  }
  if (!system.empty()) body["system"] = system;
  body["messages"] = std::move(messages);
  if (r.temperature) body["temperature"] = std::clamp(*r.temperature, 0.0, 1.0);
  if (r.top_p) body["top_p"] = *r.top_p;
  if (!r.stop.empty()) body["stop_sequences"] = r.stop;
  if (r.stream) body["stream"] = true;
  if (!r.tools.empty()) {
    json tools = json::array();
    for (const auto& t : r.tools) tools.push_back(tool_to_json(t));
    body["tools"] = std::move(tools);
    if (!r.tool_choice.is_null()) body["tool_choice"] = tool_choice_to_json(r.tool_choice);
  }
  if (!r.user.empty()) body["metadata"] = {{"user_id", r.user}};
  return body;
}

Usage parse_usage(const json& u) {
  if (!u.is_object()) bad_upstream("'usage' is not an object");
  Usage usage;
  usage.cached_prompt_tokens = count(u, "cache_read_input_tokens");
  usage.cache_write_prompt_tokens = count(u, "cache_creation_input_tokens");
  usage.prompt_tokens = count(u, "input_tokens") + usage.cached_prompt_tokens + usage.cache_write_prompt_tokens;
  usage.completion_tokens = count(u, "output_tokens");
  return usage;
}

std::string finish_reason(std::string_view stop_reason) {
  if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") return "length";
  if (stop_reason == "tool_use") return "tool_calls";
  if (stop_reason == "refusal") return "content_filter";
  return "stop";
}

int status_for_error_type(std::string_view type) {
  if (type == "invalid_request_error") return 400;
  if (type == "authentication_error") return 401;
  if (type == "billing_error") return 402;
  if (type == "permission_error") return 403;
  if (type == "not_found_error") return 404;
  if (type == "request_too_large") return 413;
  if (type == "rate_limit_error") return 429;
  if (type == "timeout_error") return 504;
  if (type == "overloaded_error") return 529;
  return 500;  // api_error and anything new
}

ChatResponse parse_response(const json& body) {
  if (!body.is_object()) bad_upstream("the body is not a JSON object");
  if (!body.contains("content") || !body["content"].is_array()) bad_upstream("'content' is missing");
  ChatResponse r;
  r.id = string_or_empty(body, "id");
  r.model = string_or_empty(body, "model");
  Choice choice;
  choice.message.role = Role::Assistant;
  std::string text;
  for (const auto& block : body["content"]) {
    if (!block.is_object()) bad_upstream("a content block is not an object");
    const std::string type = string_or_empty(block, "type");
    if (type == "text") {
      text += string_or_empty(block, "text");
    } else if (type == "tool_use") {
      choice.message.tool_calls.push_back(
          {string_or_empty(block, "id"), string_or_empty(block, "name"), block.value("input", json::object()).dump()});
    }  // thinking, redacted_thinking and server-tool blocks have no neutral form
  }
  if (!text.empty()) choice.message.content.push_back({ContentPart::Kind::Text, std::move(text), {}, {}});
  choice.finish_reason = finish_reason(string_or_empty(body, "stop_reason"));
  r.choices.push_back(std::move(choice));
  if (body.contains("usage") && !body["usage"].is_null()) r.usage = parse_usage(body["usage"]);
  return r;
}

ChatChunk StreamDecoder::make_chunk() const {
  ChatChunk chunk;
  chunk.id = id_;
  chunk.model = model_;
  return chunk;
}

void StreamDecoder::merge_usage(const json& usage) {
  if (!usage.is_object()) bad_upstream("'usage' of a stream event is not an object");
  for (const auto& [key, value] : usage.items())
    if (!value.is_null()) raw_usage_[key] = value;
  usage_ = parse_usage(raw_usage_);
}

std::optional<ChatChunk> StreamDecoder::decode(const json& event) {
  if (!event.is_object()) bad_upstream("a stream event is not a JSON object");
  const std::string type = string_or_empty(event, "type");
  if (type == "message_start") {
    const json message = event.value("message", json::object());
    id_ = string_or_empty(message, "id");
    model_ = string_or_empty(message, "model");
    if (message.contains("usage") && !message["usage"].is_null()) merge_usage(message["usage"]);
    ChatChunk chunk = make_chunk();
    chunk.role = Role::Assistant;
    return chunk;
  }
  if (type == "content_block_start") {
    const json block = event.value("content_block", json::object());
    const std::string block_type = string_or_empty(block, "type");
    ChatChunk chunk = make_chunk();
    if (block_type == "text") {
      chunk.content = string_or_empty(block, "text");
      if (chunk.content.empty()) return std::nullopt;
      return chunk;
    }
    if (block_type != "tool_use") return std::nullopt;
    int ordinal = static_cast<int>(tool_index_by_block_.size());
    tool_index_by_block_[event.value("index", int64_t{0})] = ordinal;
    chunk.tool_calls.push_back({ordinal, string_or_empty(block, "id"), string_or_empty(block, "name"), ""});
    return chunk;
  }
  if (type == "content_block_delta") {
    const json delta = event.value("delta", json::object());
    const std::string delta_type = string_or_empty(delta, "type");
    ChatChunk chunk = make_chunk();
    if (delta_type == "text_delta") {
      chunk.content = string_or_empty(delta, "text");
      if (chunk.content.empty()) return std::nullopt;
      return chunk;
    }
    if (delta_type != "input_json_delta") return std::nullopt;  // thinking, signature, citations
    auto it = tool_index_by_block_.find(event.value("index", int64_t{0}));
    if (it == tool_index_by_block_.end()) bad_upstream("input_json_delta for a block that is not a tool_use");
    std::string fragment = string_or_empty(delta, "partial_json");
    if (fragment.empty()) return std::nullopt;
    chunk.tool_calls.push_back({it->second, "", "", std::move(fragment)});
    return chunk;
  }
  if (type == "message_delta") {
    if (event.contains("usage") && !event["usage"].is_null()) merge_usage(event["usage"]);
    const json delta = event.value("delta", json::object());
    std::string stop_reason = string_or_empty(delta, "stop_reason");
    if (stop_reason.empty()) return std::nullopt;
    finish_reason_ = anthropic::finish_reason(stop_reason);
    ChatChunk chunk = make_chunk();
    chunk.finish_reason = finish_reason_;
    return chunk;
  }
  if (type == "message_stop") {
    finished_ = true;
    return std::nullopt;
  }
  if (type == "error") {
    error_ = event;
    return std::nullopt;
  }
  return std::nullopt;  // ping, content_block_stop, and event types added later
}

}  // namespace sb::connectors::anthropic
