#pragma once
// The OpenAI chat-completions wire format, both directions: what clients send the gateway
// and what the gateway sends OpenAI-compatible upstreams, and their answers (whole or as
// chat.completion.chunk SSE payloads). Reference: platform.openai.com/docs/api-reference/chat.
#include <string>

#include <nlohmann/json.hpp>

#include "core/chat.h"

namespace sb::connectors::openai {

// Client request -> ChatRequest. Throws ApiError 400 invalid_request_error naming the
// offending parameter. Unknown top-level fields are ignored (they never change routing).
ChatRequest parse_request(const nlohmann::json& body);

struct RequestOptions {
  bool max_completion_tokens = true;  // OpenAI's name; false sends max_tokens (older servers)
  bool always_include_usage = true;   // ask for the usage chunk even if the client did not
};
nlohmann::json request_to_json(const ChatRequest& request, const RequestOptions& options);

nlohmann::json response_to_json(const ChatResponse& response);
nlohmann::json chunk_to_json(const ChatChunk& chunk);
nlohmann::json usage_to_json(const Usage& usage);

// Upstream answers -> neutral types. Throw ProviderError 502 when the body is not the format.
ChatResponse parse_response(const nlohmann::json& body);
// One `data:` payload of a stream; a usage-only chunk has index 0 and no content.
ChatChunk parse_chunk(const nlohmann::json& body);
Usage parse_usage(const nlohmann::json& usage);

}  // namespace sb::connectors::openai
