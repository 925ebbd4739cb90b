#include "connectors/gemini/gemini_wire.h"

#include "connectors/provider.h"
#include "connectors/wire_common.h"

namespace sb::connectors::gemini {
namespace {

using nlohmann::json;

[[noreturn]] void bad_upstream(const std::string& what) {
  throw ProviderError(502, "upstream_error", "bad_upstream_response",
                      "gemini returned a malformed response: " + what, true);
}

std::string string_or_empty(const json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key) || obj[key].is_null()) return {};
  if (!obj[key].is_string()) bad_upstream(std::string("'") + key + "' is not a string");
  return obj[key].get<std::string>();
}

int64_t count(const json& usage, const char* key) {
  if (!usage.contains(key) || usage[key].is_null()) return 0;
  if (!usage[key].is_number_integer()) bad_upstream(std::string("usageMetadata.") + key + " is not an integer");
  return usage[key].get<int64_t>();
}

json content_parts(const std::vector<ContentPart>& parts) {
  json out = json::array();
  for (const auto& p : parts) {
    if (p.kind == ContentPart::Kind::Text) {
      if (!p.text.empty()) out.push_back({{"text", p.text}});
    } else if (auto inline_image = wire::parse_base64_data_uri(p.image_url)) {
      out.push_back({{"inlineData", {{"mimeType", inline_image->media_type}, {"data", inline_image->base64}}}});
    } else {
      out.push_back({{"fileData", {{"fileUri", p.image_url}}}});
    }
  }
  return out;
}

json model_parts(const Message& m) {
  json parts = content_parts(m.content);
  for (const auto& call : m.tool_calls)
    parts.push_back({{"functionCall", {{"name", call.name}, {"args", wire::tool_arguments_object(call)}}}});
  return parts;
}

json function_response_part(const Message& m, const std::map<std::string, std::string>& names) {
  auto called = names.find(m.tool_call_id);
  std::string name = called != names.end() ? called->second : m.name;
  if (name.empty())
    throw ProviderError(400, "invalid_request_error", "unknown_tool_call",
                        "tool message answers '" + m.tool_call_id + "', which no assistant message called", false);
  const std::string text = m.text();
  json result = json::parse(text, nullptr, false);
  if (result.is_discarded() || !result.is_object()) result = {{"result", text}};
  return {{"functionResponse", {{"name", std::move(name)}, {"response", std::move(result)}}}};
}

// Appends parts as a turn of `role`, merged into the previous turn of the same role (all
// function responses to one model turn belong in the next single user turn).
void append_turn(json& contents, const char* role, json parts) {
  if (parts.empty()) return;
  if (!contents.empty() && contents.back()["role"] == role) {
    for (auto& p : parts) contents.back()["parts"].push_back(std::move(p));
    return;
  }
  contents.push_back({{"role", role}, {"parts", std::move(parts)}});
}

json tool_config(const json& choice) {
  json config = {{"mode", "AUTO"}};
  if (choice.is_string()) {
    const auto& s = choice.get_ref<const std::string&>();
    if (s == "required") config["mode"] = "ANY";
    if (s == "none") config["mode"] = "NONE";
  } else if (auto name = wire::forced_tool_name(choice)) {
    config = {{"mode", "ANY"}, {"allowedFunctionNames", json::array({*name})}};
  }
  return {{"functionCallingConfig", std::move(config)}};
}

json generation_config(const ChatRequest& r) {
  json config = json::object();
  if (r.temperature) config["temperature"] = *r.temperature;
  if (r.top_p) config["topP"] = *r.top_p;
  if (r.max_tokens) config["maxOutputTokens"] = *r.max_tokens;
  if (!r.stop.empty()) config["stopSequences"] = r.stop;
  if (r.n != 1) config["candidateCount"] = r.n;
  if (r.seed) config["seed"] = *r.seed;
  if (r.presence_penalty) config["presencePenalty"] = *r.presence_penalty;
  if (r.frequency_penalty) config["frequencyPenalty"] = *r.frequency_penalty;
  if (r.response_format.is_object()) {
    const std::string type = r.response_format.value("type", "");
    if (type == "json_object" || type == "json_schema") config["responseMimeType"] = "application/json";
    if (type == "json_schema" && r.response_format.contains("json_schema") &&
        r.response_format["json_schema"].is_object() && r.response_format["json_schema"].contains("schema"))
      config["responseJsonSchema"] = r.response_format["json_schema"]["schema"];
  }
  return config;
}

bool is_filter_reason(std::string_view r) {
  return r == "SAFETY" || r == "RECITATION" || r == "BLOCKLIST" || r == "PROHIBITED_CONTENT" || r == "SPII" ||
         r == "IMAGE_SAFETY";
}

// What one candidate (whole, or the part of it one stream event carries) says.
struct CandidatePiece {
  int index = 0;
  std::string text;
  std::vector<ToolCall> calls;
  std::string gemini_finish;  // "" while the candidate goes on
};

CandidatePiece read_candidate(const json& c, int first_call_number) {
  if (!c.is_object()) bad_upstream("a candidate is not an object");
  CandidatePiece piece;
  piece.index = c.value("index", 0);
  piece.gemini_finish = string_or_empty(c, "finishReason");
  const json content = c.value("content", json::object());
  const json parts = content.is_object() ? content.value("parts", json::array()) : json::array();
  if (!parts.is_array()) bad_upstream("'content.parts' is not an array");
  for (const auto& p : parts) {
    if (!p.is_object()) bad_upstream("a part is not an object");
    if (p.value("thought", false)) continue;  // thinking summaries are not the answer
    if (p.contains("text")) piece.text += string_or_empty(p, "text");
    if (p.contains("functionCall")) {
      const json& f = p["functionCall"];
      if (!f.is_object()) bad_upstream("'functionCall' is not an object");
      std::string id = string_or_empty(f, "id");
      if (id.empty()) id = "call_" + std::to_string(first_call_number + static_cast<int>(piece.calls.size()));
      piece.calls.push_back({std::move(id), string_or_empty(f, "name"), f.value("args", json::object()).dump()});
    }
  }
  return piece;
}

// A prompt Gemini refused to answer at all: no candidates, promptFeedback.blockReason set.
bool prompt_blocked(const json& body) {
  return body.contains("promptFeedback") && body["promptFeedback"].is_object() &&
         !string_or_empty(body["promptFeedback"], "blockReason").empty();
}

const json& candidates_of(const json& body) {
  static const json kNone = json::array();
  if (!body.contains("candidates") || body["candidates"].is_null()) return kNone;
  if (!body["candidates"].is_array()) bad_upstream("'candidates' is not an array");
  return body["candidates"];
}

}  // namespace

json request_to_json(const ChatRequest& r) {
  const auto names = wire::tool_names_by_call_id(r.messages);
  json system_parts = json::array();
  json contents = json::array();
  for (const auto& m : r.messages) {
    switch (m.role) {
      case Role::System:
        system_parts.push_back({{"text", m.text()}});
        break;
      case Role::User:
        append_turn(contents, "user", content_parts(m.content));
        break;
      case Role::Assistant:
        append_turn(contents, "model", model_parts(m));
        break;
      case Role::Tool:
        append_turn(contents, "user", json::array({function_response_part(m, names)}));
        break;
    }
  }
  json body = {{"contents", std::move(contents)}};
  if (!system_parts.empty()) body["systemInstruction"] = {{"parts", std::move(system_parts)}};
  json config = generation_config(r);
  if (!config.empty()) body["generationConfig"] = std::move(config);
  if (!r.tools.empty()) {
    json declarations = json::array();
    for (const auto& t : r.tools) {
      json d = {{"name", t.name}};
      if (!t.description.empty()) d["description"] = t.description;
      if (t.parameters.is_object() && !t.parameters.empty()) d["parametersJsonSchema"] = t.parameters;
      declarations.push_back(std::move(d));
    }
    body["tools"] = json::array({{{"functionDeclarations", std::move(declarations)}}});
    if (!r.tool_choice.is_null()) body["toolConfig"] = tool_config(r.tool_choice);
  }
  return body;
}

Usage parse_usage(const json& u) {
  if (!u.is_object()) bad_upstream("'usageMetadata' is not an object");
  Usage usage;
  usage.prompt_tokens = count(u, "promptTokenCount");
  usage.completion_tokens = count(u, "candidatesTokenCount") + count(u, "thoughtsTokenCount");
  usage.cached_prompt_tokens = count(u, "cachedContentTokenCount");
  return usage;
}

std::string finish_reason(std::string_view r, bool called_functions) {
  if (r == "MAX_TOKENS") return "length";
  if (is_filter_reason(r)) return "content_filter";
  return called_functions ? "tool_calls" : "stop";
}

ChatResponse parse_response(const json& body) {
  if (!body.is_object()) bad_upstream("the body is not a JSON object");
  ChatResponse r;
  r.id = string_or_empty(body, "responseId");
  r.model = string_or_empty(body, "modelVersion");
  int calls = 0;
  for (const auto& c : candidates_of(body)) {
    CandidatePiece piece = read_candidate(c, calls);
    calls += static_cast<int>(piece.calls.size());
    Choice choice;
    choice.index = piece.index;
    choice.message.role = Role::Assistant;
    if (!piece.text.empty()) choice.message.content.push_back({ContentPart::Kind::Text, std::move(piece.text), {}, {}});
    choice.finish_reason = finish_reason(piece.gemini_finish, !piece.calls.empty());
    choice.message.tool_calls = std::move(piece.calls);
    r.choices.push_back(std::move(choice));
  }
  if (r.choices.empty()) {
    if (!prompt_blocked(body)) bad_upstream("no candidates and no promptFeedback.blockReason");
    Choice blocked;
    blocked.message.role = Role::Assistant;
    blocked.finish_reason = "content_filter";
    r.choices.push_back(std::move(blocked));
  }
  if (body.contains("usageMetadata") && !body["usageMetadata"].is_null()) r.usage = parse_usage(body["usageMetadata"]);
  return r;
}

std::vector<ChatChunk> StreamDecoder::decode(const json& event) {
  if (!event.is_object()) bad_upstream("a stream event is not a JSON object");
  if (event.contains("error")) {
    error_ = event;
    return {};
  }
  if (event.contains("usageMetadata") && !event["usageMetadata"].is_null()) usage_ = parse_usage(event["usageMetadata"]);
  std::vector<ChatChunk> chunks;
  auto new_chunk = [&]() -> ChatChunk& {
    ChatChunk& chunk = chunks.emplace_back();
    chunk.id = string_or_empty(event, "responseId");
    chunk.model = string_or_empty(event, "modelVersion");
    if (!role_sent_) chunk.role = Role::Assistant;
    role_sent_ = true;
    return chunk;
  };
  const json& candidates = candidates_of(event);
  if (candidates.empty() && prompt_blocked(event)) {
    finish_reason_ = "content_filter";
    new_chunk().finish_reason = finish_reason_;
  }
  for (const auto& c : candidates) {
    CandidatePiece piece = read_candidate(c, tool_calls_);
    if (piece.text.empty() && piece.calls.empty() && piece.gemini_finish.empty()) continue;
    ChatChunk& chunk = new_chunk();
    chunk.index = piece.index;
    chunk.content = std::move(piece.text);
    for (auto& call : piece.calls)
      chunk.tool_calls.push_back({tool_calls_++, std::move(call.id), std::move(call.name), std::move(call.arguments)});
    if (!piece.gemini_finish.empty()) {
      finish_reason_ = gemini::finish_reason(piece.gemini_finish, tool_calls_ > 0);
      chunk.finish_reason = finish_reason_;
    }
  }
  return chunks;
}

}  // namespace sb::connectors::gemini
