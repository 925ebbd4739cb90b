#include "tests/support/fake_gemini_server.h"

namespace sb::test {
namespace {

using nlohmann::json;

const char* status_name(int code) {
  switch (code) {
    case 400: return "INVALID_ARGUMENT";
    case 403: return "PERMISSION_DENIED";
    case 404: return "NOT_FOUND";
    case 429: return "RESOURCE_EXHAUSTED";
    case 503: return "UNAVAILABLE";
    case 504: return "DEADLINE_EXCEEDED";
    default: return "INTERNAL";
  }
}

json error_body(const FakeGeminiServer::Reply& reply, int code) {
  json error = {{"code", code}, {"message", reply.error_message}, {"status", status_name(code)}};
  if (!reply.retry_delay.empty())
    error["details"] = json::array({{{"@type", "type.googleapis.com/google.rpc.RetryInfo"}, {"retryDelay", reply.retry_delay}}});
  return {{"error", error}};
}

json usage_json(const FakeGeminiServer::UsageMetadata& u) {
  json usage = {{"promptTokenCount", u.prompt_token_count},
                {"candidatesTokenCount", u.candidates_token_count},
                {"totalTokenCount", u.prompt_token_count + u.candidates_token_count + u.thoughts_token_count}};
  if (u.cached_content_token_count > 0) usage["cachedContentTokenCount"] = u.cached_content_token_count;
  if (u.thoughts_token_count > 0) usage["thoughtsTokenCount"] = u.thoughts_token_count;
  return usage;
}

// One GenerateContentResponse with a single candidate made of `parts`.
json response(const json& parts, const std::string& finish_reason, const json& usage, const std::string& model) {
  json candidate = {{"content", {{"parts", parts}, {"role", "model"}}}, {"index", 0}};
  if (!finish_reason.empty()) candidate["finishReason"] = finish_reason;
  json body = {{"candidates", json::array({candidate})}, {"modelVersion", model}, {"responseId", "resp_fake"}};
  if (!usage.is_null()) body["usageMetadata"] = usage;
  return body;
}

json call_parts(const FakeGeminiServer::Reply& reply) {
  json parts = json::array();
  for (const auto& f : reply.function_calls) parts.push_back({{"functionCall", {{"name", f.name}, {"args", f.args}}}});
  return parts;
}

std::string sse(const json& data) { return "data: " + data.dump() + "\r\n\r\n"; }

RawReply stream_response(const FakeGeminiServer::Reply& reply, const std::string& model) {
  const json usage = reply.omit_usage ? json() : usage_json(reply.usage);
  std::vector<std::string> events;
  for (size_t i = 0; i < reply.text.size(); i += 4)  // Gemini repeats usageMetadata on every chunk
    events.push_back(sse(response(json::array({{{"text", reply.text.substr(i, 4)}}}), "", usage, model)));
  if (!reply.function_calls.empty()) events.push_back(sse(response(call_parts(reply), "", usage, model)));
  events.push_back(sse(response(json::array({{{"text", ""}}}), reply.finish_reason, usage, model)));
  return sse_reply(std::move(events), 0, reply, sse(error_body(reply, 503)));
}

// "/v1beta/models/gemini-x:generateContent" -> {"gemini-x", "generateContent"}
std::pair<std::string, std::string> model_and_method(const std::string& path) {
  const std::string prefix = "/v1beta/models/";
  auto colon = path.rfind(':');
  if (!path.starts_with(prefix) || colon == std::string::npos || colon < prefix.size()) return {};
  return {path.substr(prefix.size(), colon - prefix.size()), path.substr(colon + 1)};
}

}  // namespace

FakeGeminiServer::FakeGeminiServer()
    : upstream_([this](const Recorded& request) { return respond_with(request, replies_.pop().value_or(Reply{})); }) {}

std::string FakeGeminiServer::base_url() const { return upstream_.root_url(); }

void FakeGeminiServer::enqueue(Reply reply) { replies_.push(std::move(reply)); }

std::vector<FakeGeminiServer::Recorded> FakeGeminiServer::requests() const { return upstream_.requests(); }

std::string FakeGeminiServer::echo_text(const std::string& request_body) {
  auto body = json::parse(request_body, nullptr, false);
  std::string last;
  if (body.is_object() && body.contains("contents") && body["contents"].is_array())
    for (const auto& c : body["contents"]) {
      if (!c.is_object() || c.value("role", "user") != "user" || !c.contains("parts")) continue;
      std::string text;
      for (const auto& p : c["parts"])
        if (p.is_object() && p.contains("text")) text += p.value("text", "");
      if (!text.empty()) last = text;
    }
  return "echo: " + last;
}

RawReply FakeGeminiServer::respond_with(const Recorded& request, Reply reply) {
  if (reply.status < 200 || reply.status >= 300) return json_reply(reply, error_body(reply, reply.status).dump());
  auto [model, method] = model_and_method(request.path);
  bool streaming = method == "streamGenerateContent";
  if (model.empty() || (method != "generateContent" && !streaming)) {
    Reply not_found;
    not_found.status = 404;
    not_found.error_message = "no route " + request.path;
    return json_reply(not_found, error_body(not_found, 404).dump());
  }
  if (reply.text.empty() && reply.function_calls.empty()) reply.text = echo_text(request.body);
  if (streaming) return stream_response(reply, model);
  json parts = call_parts(reply);
  if (!reply.text.empty()) parts.insert(parts.begin(), json{{"text", reply.text}});
  const json usage = reply.omit_usage ? json() : usage_json(reply.usage);
  return json_reply(reply, response(parts, reply.finish_reason, usage, model).dump());
}

}  // namespace sb::test
