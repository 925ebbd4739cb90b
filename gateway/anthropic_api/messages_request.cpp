#include "gateway/anthropic_api/messages_request.h"

#include "core/api_error.h"
#include "core/request_limits.h"

namespace sb::gateway::anthropic_api {
namespace {

using nlohmann::json;

[[noreturn]] void bad_field(const std::string& field, const std::string& problem) {
  throw ApiError(400, "invalid_request_error", "invalid_value", field + ": " + problem, field);
}

const json* optional_field(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

const json& required_field(const json& obj, const char* key, const std::string& at) {
  const json* v = optional_field(obj, key);
  if (!v) bad_field(at.empty() ? key : at + "." + key, "Field required");
  return *v;
}

const std::string& string_at(const json& v, const std::string& at) {
  if (!v.is_string()) bad_field(at, "Input should be a valid string");
  return v.get_ref<const std::string&>();
}

double number_in(const json& v, const std::string& at, double lo, double hi) {
  if (!v.is_number()) bad_field(at, "Input should be a valid number");
  const double d = v.get<double>();
  if (d < lo || d > hi) bad_field(at, "Input should be between " + json(lo).dump() + " and " + json(hi).dump());
  return d;
}

const json& array_at(const json& v, const std::string& at) {
  if (!v.is_array()) bad_field(at, "Input should be a valid list");
  return v;
}

std::string item(const std::string& at, size_t i) { return at + "." + std::to_string(i); }

ContentPart text_part(const json& block, const std::string& at) {
  return {ContentPart::Kind::Text, string_at(required_field(block, "text", at), at + ".text"), {}, {}};
}

ContentPart image_part(const json& block, const std::string& at) {
  const json& source = required_field(block, "source", at);
  const std::string src = at + ".source";
  if (!source.is_object()) bad_field(src, "Input should be an object");
  const std::string& type = string_at(required_field(source, "type", src), src + ".type");
  ContentPart part{ContentPart::Kind::ImageUrl, {}, {}, {}};
  if (type == "base64") {
    part.image_url = "data:" + string_at(required_field(source, "media_type", src), src + ".media_type") +
                     ";base64," + string_at(required_field(source, "data", src), src + ".data");
  } else if (type == "url") {
    part.image_url = string_at(required_field(source, "url", src), src + ".url");
  } else {
    bad_field(src + ".type", "image source type '" + type + "' is not supported (use base64 or url)");
  }
  return part;
}

// A tool_result's content: a string or text/image blocks.
std::vector<ContentPart> tool_result_content(const json& block, const std::string& at) {
  const json* content = optional_field(block, "content");
  if (!content) return {};
  if (content->is_string()) return {{ContentPart::Kind::Text, content->get<std::string>(), {}, {}}};
  std::vector<ContentPart> parts;
  const std::string where = at + ".content";
  for (size_t i = 0; i < array_at(*content, where).size(); ++i) {
    const json& b = (*content)[i];
    const std::string bat = item(where, i);
    if (!b.is_object()) bad_field(bat, "Input should be an object");
    const std::string& type = string_at(required_field(b, "type", bat), bat + ".type");
    if (type == "text") parts.push_back(text_part(b, bat));
    else if (type == "image") parts.push_back(image_part(b, bat));
    else bad_field(bat + ".type", "content block type '" + type + "' is not supported in a tool_result");
  }
  return parts;
}

ToolCall tool_call(const json& block, const std::string& at) {
  ToolCall call;
  call.id = string_at(required_field(block, "id", at), at + ".id");
  call.name = string_at(required_field(block, "name", at), at + ".name");
  const json* input = optional_field(block, "input");
  if (input && !input->is_object()) bad_field(at + ".input", "Input should be an object");
  call.arguments = input ? input->dump() : "{}";
  return call;
}

// One Anthropic turn -> its neutral messages: tool results first (each its own tool
// message), then the turn's text and images.
void append_turn(const json& m, const std::string& at, std::vector<Message>& out) {
  if (!m.is_object()) bad_field(at, "Input should be an object");
  const std::string& role_name = string_at(required_field(m, "role", at), at + ".role");
  if (role_name != "user" && role_name != "assistant")
    bad_field(at + ".role", "Input should be 'user' or 'assistant'");
  Message turn;
  turn.role = role_name == "user" ? Role::User : Role::Assistant;
  const json& content = required_field(m, "content", at);
  const std::string cat = at + ".content";
  if (content.is_string()) {
    turn.content.push_back({ContentPart::Kind::Text, content.get<std::string>(), {}, {}});
    out.push_back(std::move(turn));
    return;
  }
  for (size_t i = 0; i < array_at(content, cat).size(); ++i) {
    const json& block = content[i];
    const std::string bat = item(cat, i);
    if (!block.is_object()) bad_field(bat, "Input should be an object");
    const std::string& type = string_at(required_field(block, "type", bat), bat + ".type");
    const bool user = turn.role == Role::User;
    if (type == "text") {
      turn.content.push_back(text_part(block, bat));
    } else if (type == "image" && user) {
      turn.content.push_back(image_part(block, bat));
    } else if (type == "tool_use" && !user) {
      turn.tool_calls.push_back(tool_call(block, bat));
    } else if (type == "tool_result" && user) {
      Message result;
      result.role = Role::Tool;
      result.tool_call_id = string_at(required_field(block, "tool_use_id", bat), bat + ".tool_use_id");
      result.content = tool_result_content(block, bat);
      out.push_back(std::move(result));
    } else if ((type == "thinking" || type == "redacted_thinking") && !user) {
      continue;  // the model's earlier reasoning: no neutral equivalent, and no target needs it back
    } else {
      bad_field(bat + ".type", "content block type '" + type + "' is not supported in a " + role_name + " message");
    }
  }
  if (!turn.content.empty() || !turn.tool_calls.empty() || turn.role == Role::Assistant) out.push_back(std::move(turn));
}

std::vector<ContentPart> system_parts(const json& system) {
  if (system.is_string()) return {{ContentPart::Kind::Text, system.get<std::string>(), {}, {}}};
  std::vector<ContentPart> parts;
  for (size_t i = 0; i < array_at(system, "system").size(); ++i) {
    const std::string at = item("system", i);
    const json& block = system[i];
    if (!block.is_object()) bad_field(at, "Input should be an object");
    if (string_at(required_field(block, "type", at), at + ".type") != "text")
      bad_field(at + ".type", "system blocks must be text blocks");
    parts.push_back(text_part(block, at));
  }
  return parts;
}

std::vector<ToolDefinition> tools(const json& list) {
  std::vector<ToolDefinition> out;
  for (size_t i = 0; i < array_at(list, "tools").size(); ++i) {
    const std::string at = item("tools", i);
    const json& t = list[i];
    if (!t.is_object()) bad_field(at, "Input should be an object");
    if (const json* type = optional_field(t, "type"); type && *type != "custom")
      bad_field(at + ".type", "only custom tools (name, description, input_schema) are supported");
    ToolDefinition def;
    def.name = string_at(required_field(t, "name", at), at + ".name");
    if (const json* d = optional_field(t, "description")) def.description = string_at(*d, at + ".description");
    def.parameters = required_field(t, "input_schema", at);
    if (!def.parameters.is_object()) bad_field(at + ".input_schema", "Input should be an object");
    out.push_back(std::move(def));
  }
  return out;
}

json tool_choice(const json& choice) {
  if (!choice.is_object()) bad_field("tool_choice", "Input should be an object");
  const std::string& type = string_at(required_field(choice, "type", "tool_choice"), "tool_choice.type");
  if (type == "auto" || type == "none") return type;
  if (type == "any") return "required";
  if (type == "tool")
    return {{"type", "function"},
            {"function", {{"name", string_at(required_field(choice, "name", "tool_choice"), "tool_choice.name")}}}};
  bad_field("tool_choice.type", "Input should be 'auto', 'any', 'tool' or 'none'");
}

}  // namespace

ChatRequest parse_request(const json& body) {
  if (!body.is_object()) bad_field("body", "the request body must be a JSON object");
  ChatRequest r;
  r.model = string_at(required_field(body, "model", ""), "model");

  const json& max_tokens = required_field(body, "max_tokens", "");
  if (!max_tokens.is_number_integer() || max_tokens.get<int64_t>() < 1)
    bad_field("max_tokens", "Input should be an integer greater than or equal to 1");
  if (max_tokens.get<int64_t>() > kMaxOutputTokensLimit)
    bad_field("max_tokens", "Input should be less than or equal to " + std::to_string(kMaxOutputTokensLimit));
  r.max_tokens = max_tokens.get<int64_t>();

  if (const json* system = optional_field(body, "system")) {
    Message m;
    m.role = Role::System;
    m.content = system_parts(*system);
    if (!m.content.empty()) r.messages.push_back(std::move(m));
  }
  const json& messages = array_at(required_field(body, "messages", ""), "messages");
  if (messages.empty()) bad_field("messages", "at least one message is required");
  for (size_t i = 0; i < messages.size(); ++i) append_turn(messages[i], item("messages", i), r.messages);

  if (const json* v = optional_field(body, "temperature")) r.temperature = number_in(*v, "temperature", 0, 1);
  if (const json* v = optional_field(body, "top_p")) r.top_p = number_in(*v, "top_p", 0, 1);
  if (const json* v = optional_field(body, "top_k"); v && (!v->is_number_integer() || v->get<int64_t>() < 0))
    bad_field("top_k", "Input should be a non-negative integer");
  if (const json* v = optional_field(body, "stop_sequences"))
    for (size_t i = 0; i < array_at(*v, "stop_sequences").size(); ++i)
      r.stop.push_back(string_at((*v)[i], item("stop_sequences", i)));
  if (const json* v = optional_field(body, "stream")) {
    if (!v->is_boolean()) bad_field("stream", "Input should be a valid boolean");
    r.stream = v->get<bool>();
  }
  if (const json* v = optional_field(body, "tools")) r.tools = tools(*v);
  if (const json* v = optional_field(body, "tool_choice")) r.tool_choice = tool_choice(*v);
  if (const json* v = optional_field(body, "metadata"); v && v->is_object())
    if (const json* user = optional_field(*v, "user_id")) r.user = string_at(*user, "metadata.user_id");
  return r;
}

}  // namespace sb::gateway::anthropic_api
