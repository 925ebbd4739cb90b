#include "connectors/openai/openai_wire.h"

#include "connectors/provider.h"
#include "core/request_limits.h"

namespace sb::connectors::openai {
namespace {

using nlohmann::json;

[[noreturn]] void bad_param(const std::string& param, const std::string& message) {
  throw ApiError(400, "invalid_request_error", "invalid_value", message, param);
}

[[noreturn]] void bad_upstream(const std::string& what) {
  throw ProviderError(502, "upstream_error", "bad_upstream_response",
                      "upstream returned a malformed chat completion: " + what, true);
}

double number_in(const json& v, const std::string& param, double lo, double hi) {
  if (!v.is_number()) bad_param(param, "'" + param + "' must be a number");
  double d = v.get<double>();
  if (d < lo || d > hi)
    bad_param(param, "'" + param + "' must be between " + json(lo).dump() + " and " + json(hi).dump());
  return d;
}

int64_t integer_at_least(const json& v, const std::string& param, int64_t lo) {
  if (!v.is_number_integer()) bad_param(param, "'" + param + "' must be an integer");
  int64_t i = v.get<int64_t>();
  if (i < lo) bad_param(param, "'" + param + "' must be at least " + std::to_string(lo));
  return i;
}

int64_t max_output_tokens(const json& v, const std::string& param) {
  const int64_t tokens = integer_at_least(v, param, 1);
  if (tokens > kMaxOutputTokensLimit)
    bad_param(param, "'" + param + "' must be at most " + std::to_string(kMaxOutputTokensLimit));
  return tokens;
}

const std::string& string_field(const json& v, const std::string& param) {
  if (!v.is_string()) bad_param(param, "'" + param + "' must be a string");
  return v.get_ref<const std::string&>();
}

// "none" | "auto" | "required" | {"type": "function", "function": {"name": "..."}}.
const json& parse_tool_choice(const json& choice) {
  if (choice.is_string()) {
    const std::string& mode = choice.get_ref<const std::string&>();
    if (mode == "none" || mode == "auto" || mode == "required") return choice;
  } else if (choice.is_object() && choice.value("type", json()) == "function" && choice.contains("function") &&
             choice["function"].is_object() && choice["function"].contains("name")) {
    string_field(choice["function"]["name"], "tool_choice.function.name");
    return choice;
  }
  bad_param("tool_choice",
            "'tool_choice' must be \"none\", \"auto\", \"required\" or "
            "{\"type\": \"function\", \"function\": {\"name\": ...}}");
}

std::vector<ContentPart> parse_content(const json& content, const std::string& param) {
  std::vector<ContentPart> parts;
  if (content.is_null()) return parts;
  if (content.is_string()) {
    parts.push_back({ContentPart::Kind::Text, content.get<std::string>(), {}, {}});
    return parts;
  }
  if (!content.is_array()) bad_param(param, "'" + param + "' must be a string or an array of content parts");
  for (size_t i = 0; i < content.size(); ++i) {
    const json& p = content[i];
    std::string at = param + "[" + std::to_string(i) + "]";
    if (!p.is_object() || !p.contains("type")) bad_param(at, "'" + at + "' must be an object with a 'type'");
    const std::string& type = string_field(p["type"], at + ".type");
    if (type == "text") {
      if (!p.contains("text")) bad_param(at + ".text", "'" + at + ".text' is required");
      parts.push_back({ContentPart::Kind::Text, string_field(p["text"], at + ".text"), {}, {}});
    } else if (type == "image_url") {
      const json& img = p.value("image_url", json());
      if (!img.is_object() || !img.contains("url"))
        bad_param(at + ".image_url", "'" + at + ".image_url' must be an object with a 'url'");
      ContentPart part{ContentPart::Kind::ImageUrl, {}, string_field(img["url"], at + ".image_url.url"), {}};
      if (img.contains("detail")) part.detail = string_field(img["detail"], at + ".image_url.detail");
      parts.push_back(std::move(part));
    } else {
      bad_param(at + ".type", "unsupported content part type '" + type + "'");
    }
  }
  return parts;
}

std::vector<ToolCall> parse_tool_calls(const json& calls, const std::string& param) {
  if (!calls.is_array()) bad_param(param, "'" + param + "' must be an array");
  std::vector<ToolCall> out;
  for (size_t i = 0; i < calls.size(); ++i) {
    std::string at = param + "[" + std::to_string(i) + "]";
    const json& c = calls[i];
    if (!c.is_object() || !c.contains("function") || !c["function"].is_object())
      bad_param(at, "'" + at + "' must be an object with a 'function'");
    const json& f = c["function"];
    ToolCall call;
    if (c.contains("id")) call.id = string_field(c["id"], at + ".id");
    if (!f.contains("name")) bad_param(at + ".function.name", "'" + at + ".function.name' is required");
    call.name = string_field(f["name"], at + ".function.name");
    if (f.contains("arguments")) call.arguments = string_field(f["arguments"], at + ".function.arguments");
    out.push_back(std::move(call));
  }
  return out;
}

Message parse_message(const json& m, const std::string& at) {
  if (!m.is_object()) bad_param(at, "'" + at + "' must be an object");
  if (!m.contains("role")) bad_param(at + ".role", "'" + at + ".role' is required");
  auto role = role_from_string(string_field(m["role"], at + ".role"));
  if (!role) bad_param(at + ".role", "'" + at + ".role' must be one of system, developer, user, assistant, tool");
  Message msg;
  msg.role = *role;
  if (m.contains("content")) msg.content = parse_content(m["content"], at + ".content");
  if (m.contains("name") && !m["name"].is_null()) msg.name = string_field(m["name"], at + ".name");
  if (m.contains("tool_calls") && !m["tool_calls"].is_null())
    msg.tool_calls = parse_tool_calls(m["tool_calls"], at + ".tool_calls");
  if (msg.role == Role::Tool) {
    if (!m.contains("tool_call_id")) bad_param(at + ".tool_call_id", "'" + at + ".tool_call_id' is required for tool messages");
    msg.tool_call_id = string_field(m["tool_call_id"], at + ".tool_call_id");
  }
  if (msg.content.empty() && msg.tool_calls.empty() && msg.role != Role::Assistant)
    bad_param(at + ".content", "'" + at + ".content' is required");
  return msg;
}

std::vector<ToolDefinition> parse_tools(const json& tools) {
  if (!tools.is_array()) bad_param("tools", "'tools' must be an array");
  std::vector<ToolDefinition> out;
  for (size_t i = 0; i < tools.size(); ++i) {
    std::string at = "tools[" + std::to_string(i) + "]";
    const json& t = tools[i];
    if (!t.is_object() || t.value("type", "") != "function" || !t.contains("function") || !t["function"].is_object())
      bad_param(at, "'" + at + "' must be {\"type\": \"function\", \"function\": {...}}");
    const json& f = t["function"];
    ToolDefinition def;
    if (!f.contains("name")) bad_param(at + ".function.name", "'" + at + ".function.name' is required");
    def.name = string_field(f["name"], at + ".function.name");
    if (f.contains("description")) def.description = string_field(f["description"], at + ".function.description");
    def.parameters = f.value("parameters", json::object());
    if (!def.parameters.is_object()) bad_param(at + ".function.parameters", "'" + at + ".function.parameters' must be an object");
    out.push_back(std::move(def));
  }
  return out;
}

json content_to_json(const std::vector<ContentPart>& parts) {
  bool text_only = true;
  for (const auto& p : parts) text_only = text_only && p.kind == ContentPart::Kind::Text;
  if (text_only) {
    std::string text;
    for (const auto& p : parts) text += p.text;
    return text;
  }
  json out = json::array();
  for (const auto& p : parts) {
    if (p.kind == ContentPart::Kind::Text) {
      out.push_back({{"type", "text"}, {"text", p.text}});
    } else {
      json img = {{"url", p.image_url}};
      if (!p.detail.empty()) img["detail"] = p.detail;
      out.push_back({{"type", "image_url"}, {"image_url", img}});
    }
  }
  return out;
}

json tool_calls_to_json(const std::vector<ToolCall>& calls) {
  json out = json::array();
  for (const auto& c : calls)
    out.push_back({{"id", c.id}, {"type", "function"}, {"function", {{"name", c.name}, {"arguments", c.arguments}}}});
  return out;
}

json message_to_json(const Message& m) {
  json out = {{"role", to_string(m.role)}};
  if (m.role == Role::Assistant && m.content.empty() && !m.tool_calls.empty())
    out["content"] = nullptr;
  else
    out["content"] = content_to_json(m.content);
  if (!m.name.empty()) out["name"] = m.name;
  if (!m.tool_calls.empty()) out["tool_calls"] = tool_calls_to_json(m.tool_calls);
  if (m.role == Role::Tool) out["tool_call_id"] = m.tool_call_id;
  return out;
}

std::string upstream_string(const json& obj, const char* key) {
  if (!obj.contains(key) || obj[key].is_null()) return {};
  if (!obj[key].is_string()) bad_upstream(std::string("'") + key + "' is not a string");
  return obj[key].get<std::string>();
}

std::vector<ToolCall> upstream_tool_calls(const json& calls) {
  std::vector<ToolCall> out;
  if (!calls.is_array()) return out;
  for (const auto& c : calls) {
    if (!c.is_object()) bad_upstream("tool call is not an object");
    const json f = c.value("function", json::object());
    out.push_back({upstream_string(c, "id"), upstream_string(f, "name"), upstream_string(f, "arguments")});
  }
  return out;
}

std::string upstream_content(const json& content) {
  if (content.is_null()) return {};
  if (content.is_string()) return content.get<std::string>();
  if (content.is_array()) {  // some compatible servers answer with parts
    std::string text;
    for (const auto& p : content)
      if (p.is_object() && p.value("type", "") == "text") text += upstream_string(p, "text");
    return text;
  }
  bad_upstream("'content' is neither a string nor parts");
}

}  // namespace

ChatRequest parse_request(const json& body) {
  if (!body.is_object()) bad_param("", "the request body must be a JSON object");
  ChatRequest r;
  if (!body.contains("model")) bad_param("model", "'model' is required");
  r.model = string_field(body["model"], "model");
  if (!body.contains("messages")) bad_param("messages", "'messages' is required");
  const json& msgs = body["messages"];
  if (!msgs.is_array() || msgs.empty()) bad_param("messages", "'messages' must be a non-empty array");
  for (size_t i = 0; i < msgs.size(); ++i)
    r.messages.push_back(parse_message(msgs[i], "messages[" + std::to_string(i) + "]"));

  auto present = [&](const char* key) { return body.contains(key) && !body[key].is_null(); };
  if (present("temperature")) r.temperature = number_in(body["temperature"], "temperature", 0, 2);
  if (present("top_p")) r.top_p = number_in(body["top_p"], "top_p", 0, 1);
  if (present("max_completion_tokens"))
    r.max_tokens = max_output_tokens(body["max_completion_tokens"], "max_completion_tokens");
  else if (present("max_tokens"))
    r.max_tokens = max_output_tokens(body["max_tokens"], "max_tokens");
  if (present("stop")) {
    const json& stop = body["stop"];
    if (stop.is_string()) {
      r.stop.push_back(stop.get<std::string>());
    } else if (stop.is_array() && stop.size() <= 4) {
      for (const auto& s : stop) r.stop.push_back(string_field(s, "stop"));
    } else {
      bad_param("stop", "'stop' must be a string or an array of at most 4 strings");
    }
  }
  if (present("seed")) r.seed = integer_at_least(body["seed"], "seed", INT64_MIN);
  if (present("presence_penalty")) r.presence_penalty = number_in(body["presence_penalty"], "presence_penalty", -2, 2);
  if (present("frequency_penalty")) r.frequency_penalty = number_in(body["frequency_penalty"], "frequency_penalty", -2, 2);
  if (present("logit_bias")) {
    const json& bias = body["logit_bias"];
    if (!bias.is_object()) bad_param("logit_bias", "'logit_bias' must be an object of token id -> bias");
    for (const auto& [key, value] : bias.items()) {
      int64_t token = 0;
      try {
        size_t used = 0;
        token = std::stoll(key, &used);
        if (used != key.size() || token < 0) throw std::invalid_argument(key);
      } catch (const std::exception&) {
        bad_param("logit_bias", "'logit_bias' keys must be token ids, got '" + key + "'");
      }
      r.logit_bias[token] = number_in(value, "logit_bias", -100, 100);
    }
  }
  if (present("n")) r.n = static_cast<int>(integer_at_least(body["n"], "n", 1));
  if (present("stream")) {
    if (!body["stream"].is_boolean()) bad_param("stream", "'stream' must be a boolean");
    r.stream = body["stream"].get<bool>();
  }
  if (present("stream_options")) {
    const json& so = body["stream_options"];
    if (!so.is_object()) bad_param("stream_options", "'stream_options' must be an object");
    if (so.contains("include_usage")) {
      if (!so["include_usage"].is_boolean())
        bad_param("stream_options.include_usage", "'stream_options.include_usage' must be a boolean");
      r.include_usage = so["include_usage"].get<bool>();
    }
  }
  if (present("tools")) r.tools = parse_tools(body["tools"]);
  if (present("tool_choice")) r.tool_choice = parse_tool_choice(body["tool_choice"]);
  if (present("response_format")) {
    if (!body["response_format"].is_object() || !body["response_format"].contains("type"))
      bad_param("response_format", "'response_format' must be an object with a 'type'");
    r.response_format = body["response_format"];
  }
  if (present("user")) r.user = string_field(body["user"], "user");
  return r;
}

json request_to_json(const ChatRequest& r, const RequestOptions& options) {
  json body = {{"model", r.model}};
  json msgs = json::array();
  for (const auto& m : r.messages) msgs.push_back(message_to_json(m));
  body["messages"] = std::move(msgs);
  if (r.temperature) body["temperature"] = *r.temperature;
  if (r.top_p) body["top_p"] = *r.top_p;
  if (r.max_tokens) body[options.max_completion_tokens ? "max_completion_tokens" : "max_tokens"] = *r.max_tokens;
  if (!r.stop.empty()) body["stop"] = r.stop;
  if (r.seed) body["seed"] = *r.seed;
  if (r.presence_penalty) body["presence_penalty"] = *r.presence_penalty;
  if (r.frequency_penalty) body["frequency_penalty"] = *r.frequency_penalty;
  if (!r.logit_bias.empty()) {
    json bias = json::object();
    for (const auto& [token, value] : r.logit_bias) bias[std::to_string(token)] = value;
    body["logit_bias"] = std::move(bias);
  }
  if (r.n != 1) body["n"] = r.n;
  if (r.stream) {
    body["stream"] = true;
    if (r.include_usage || options.always_include_usage) body["stream_options"] = {{"include_usage", true}};
  }
  if (!r.tools.empty()) {
    json tools = json::array();
    for (const auto& t : r.tools) {
      json f = {{"name", t.name}, {"parameters", t.parameters}};
      if (!t.description.empty()) f["description"] = t.description;
      tools.push_back({{"type", "function"}, {"function", std::move(f)}});
    }
    body["tools"] = std::move(tools);
  }
  if (!r.tool_choice.is_null()) body["tool_choice"] = r.tool_choice;
  if (!r.response_format.is_null()) body["response_format"] = r.response_format;
  if (!r.user.empty()) body["user"] = r.user;
  return body;
}

json usage_to_json(const Usage& u) {
  return {{"prompt_tokens", u.prompt_tokens},
          {"completion_tokens", u.completion_tokens},
          {"total_tokens", u.total()},
          {"prompt_tokens_details", {{"cached_tokens", u.cached_prompt_tokens}}}};
}

json response_to_json(const ChatResponse& r) {
  json choices = json::array();
  for (const auto& c : r.choices)
    choices.push_back({{"index", c.index},
                       {"message", message_to_json(c.message)},
                       {"logprobs", nullptr},
                       {"finish_reason", c.finish_reason}});
  json body = {{"id", r.id}, {"object", "chat.completion"}, {"created", r.created},
               {"model", r.model}, {"choices", std::move(choices)}};
  if (r.usage) body["usage"] = usage_to_json(*r.usage);
  return body;
}

json chunk_to_json(const ChatChunk& c) {
  json body = {{"id", c.id}, {"object", "chat.completion.chunk"}, {"created", c.created}, {"model", c.model}};
  bool usage_only = c.usage && !c.role && c.content.empty() && c.tool_calls.empty() && c.finish_reason.empty();
  if (usage_only) {
    body["choices"] = json::array();
  } else {
    json delta = json::object();
    if (c.role) delta["role"] = to_string(*c.role);
    if (!c.content.empty() || (c.role && c.tool_calls.empty())) delta["content"] = c.content;
    if (!c.tool_calls.empty()) {
      json calls = json::array();
      for (const auto& t : c.tool_calls) {
        json call = {{"index", t.index}};
        if (!t.id.empty()) call["id"] = t.id, call["type"] = "function";
        json f = {{"arguments", t.arguments}};
        if (!t.name.empty()) f["name"] = t.name;
        call["function"] = std::move(f);
        calls.push_back(std::move(call));
      }
      delta["tool_calls"] = std::move(calls);
    }
    json finish = c.finish_reason.empty() ? json(nullptr) : json(c.finish_reason);
    body["choices"] = json::array({{{"index", c.index}, {"delta", std::move(delta)},
                                    {"logprobs", nullptr}, {"finish_reason", finish}}});
  }
  if (c.usage) body["usage"] = usage_to_json(*c.usage);
  return body;
}

Usage parse_usage(const json& u) {
  if (!u.is_object()) bad_upstream("'usage' is not an object");
  Usage usage;
  usage.prompt_tokens = u.value("prompt_tokens", int64_t{0});
  usage.completion_tokens = u.value("completion_tokens", int64_t{0});
  if (u.contains("prompt_tokens_details") && u["prompt_tokens_details"].is_object())
    usage.cached_prompt_tokens = u["prompt_tokens_details"].value("cached_tokens", int64_t{0});
  return usage;
}

ChatResponse parse_response(const json& body) {
  if (!body.is_object()) bad_upstream("the body is not a JSON object");
  if (!body.contains("choices") || !body["choices"].is_array()) bad_upstream("'choices' is missing");
  ChatResponse r;
  r.id = upstream_string(body, "id");
  r.model = upstream_string(body, "model");
  r.created = body.value("created", int64_t{0});
  for (const auto& c : body["choices"]) {
    if (!c.is_object() || !c.contains("message") || !c["message"].is_object()) bad_upstream("a choice has no 'message'");
    const json& m = c["message"];
    Choice choice;
    choice.index = c.value("index", 0);
    choice.message.role = Role::Assistant;
    std::string text = upstream_content(m.value("content", json()));
    if (!text.empty()) choice.message.content.push_back({ContentPart::Kind::Text, std::move(text), {}, {}});
    choice.message.tool_calls = upstream_tool_calls(m.value("tool_calls", json()));
    choice.finish_reason = upstream_string(c, "finish_reason");
    r.choices.push_back(std::move(choice));
  }
  if (body.contains("usage") && !body["usage"].is_null()) r.usage = parse_usage(body["usage"]);
  return r;
}

ChatChunk parse_chunk(const json& body) {
  if (!body.is_object()) bad_upstream("a stream chunk is not a JSON object");
  ChatChunk chunk;
  chunk.id = upstream_string(body, "id");
  chunk.model = upstream_string(body, "model");
  chunk.created = body.value("created", int64_t{0});
  if (body.contains("usage") && !body["usage"].is_null()) chunk.usage = parse_usage(body["usage"]);
  const json choices = body.value("choices", json::array());
  if (!choices.is_array()) bad_upstream("'choices' of a chunk is not an array");
  if (choices.empty()) return chunk;
  const json& c = choices[0];
  if (!c.is_object()) bad_upstream("a chunk choice is not an object");
  chunk.index = c.value("index", 0);
  chunk.finish_reason = upstream_string(c, "finish_reason");
  const json delta = c.value("delta", json::object());
  if (delta.contains("role") && delta["role"].is_string()) chunk.role = role_from_string(delta["role"].get<std::string>());
  chunk.content = upstream_content(delta.value("content", json()));
  if (delta.contains("tool_calls") && delta["tool_calls"].is_array()) {
    for (const auto& t : delta["tool_calls"]) {
      if (!t.is_object()) bad_upstream("a tool call delta is not an object");
      const json f = t.value("function", json::object());
      chunk.tool_calls.push_back({t.value("index", 0), upstream_string(t, "id"), upstream_string(f, "name"),
                                  upstream_string(f, "arguments")});
    }
  }
  return chunk;
}

}  // namespace sb::connectors::openai
