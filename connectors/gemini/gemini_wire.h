#pragma once
// The Gemini API generateContent / streamGenerateContent wire format (v1beta), translated to
// and from the neutral chat types. Pure functions and one stateful stream decoder; no I/O.
// Reference: ai.google.dev/api/generate-content.
//
// Request mapping (neutral -> Gemini; the model goes in the URL, not the body):
//   system messages          -> systemInstruction.parts[].text
//   user / assistant turns   -> contents[] with role "user" / "model"; consecutive turns of one role merge
//   text parts               -> {text}; data: URI images -> {inlineData{mimeType,data}};
//                               other image URLs -> {fileData{fileUri}}
//   assistant tool_calls     -> {functionCall{name,args}}
//   tool messages            -> {functionResponse{name,response}} in a user turn; the name comes from
//                               the assistant call with that id (else the message's name); response
//                               is the result when it is a JSON object, else {"result": text}
//   temperature, top_p, max_tokens, stop, n, seed, penalties -> generationConfig
//   response_format json_object / json_schema -> responseMimeType application/json (+ responseJsonSchema)
//   tools -> tools[{functionDeclarations[{name,description,parametersJsonSchema}]}]
//   tool_choice auto|none|required|{function} -> toolConfig.functionCallingConfig AUTO|NONE|ANY(+allowed name)
// Response mapping: text parts -> content (thought parts skipped), functionCall -> tool_calls
// (Gemini's id when it sends one, else "call_<n>"), finishReason -> OpenAI finish_reason
// (finish_reason()), usageMetadata -> Usage (parse_usage).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/chat.h"

namespace sb::connectors::gemini {

// ChatRequest -> GenerateContentRequest body.
nlohmann::json request_to_json(const ChatRequest& request);

// A GenerateContentResponse -> ChatResponse, one choice per candidate (`created` is left 0).
// Throws ProviderError 502 bad_upstream_response when it is not that format.
ChatResponse parse_response(const nlohmann::json& body);

// promptTokenCount -> prompt_tokens (it includes cached content); candidatesTokenCount +
// thoughtsTokenCount -> completion_tokens (thinking is billed as output);
// cachedContentTokenCount -> cached_prompt_tokens.
Usage parse_usage(const nlohmann::json& usage_metadata);

// STOP -> "stop" ("tool_calls" when the candidate called a function); MAX_TOKENS -> "length";
// SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII, IMAGE_SAFETY -> "content_filter";
// anything else (OTHER, LANGUAGE, MALFORMED_FUNCTION_CALL, ...) -> "stop".
std::string finish_reason(std::string_view gemini_reason, bool called_functions);

// Decodes a streamGenerateContent?alt=sse stream: every event is a partial
// GenerateContentResponse. Numbers tool calls across events and remembers the last usage.
class StreamDecoder {
 public:
  // The chunks one event produces (one per candidate with something to say; the first ever
  // carries the assistant role). An event carrying {"error": ...} produces nothing and is
  // kept in error(). Throws ProviderError 502 bad_upstream_response when it is not the format.
  std::vector<ChatChunk> decode(const nlohmann::json& event);

  bool finished() const { return !finish_reason_.empty(); }  // a finishReason arrived
  const std::optional<nlohmann::json>& error() const { return error_; }
  const std::optional<Usage>& usage() const { return usage_; }
  const std::string& finish_reason() const { return finish_reason_; }

 private:
  bool role_sent_ = false;
  int tool_calls_ = 0;
  std::optional<Usage> usage_;
  std::string finish_reason_;
  std::optional<nlohmann::json> error_;
};

}  // namespace sb::connectors::gemini
