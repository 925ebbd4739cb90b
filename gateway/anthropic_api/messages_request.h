#pragma once
// Anthropic Messages API requests (POST /v1/messages, what the Anthropic SDKs send) parsed
// into the neutral ChatRequest, so they take the same way as chat completions.
// Reference: docs.anthropic.com/en/api/messages.
//
//   system (string or text blocks)   -> a leading system message
//   user text / image blocks         -> user content parts (base64 source -> data: URI)
//   assistant text / tool_use blocks -> assistant content and tool_calls (input -> argument text)
//   tool_result blocks               -> tool messages, before the rest of their user turn
//   thinking blocks                  -> dropped (no neutral equivalent)
//   tools {name, description, input_schema}, tool_choice auto|any|tool|none
//                                    -> tools and tool_choice auto|required|{function}|none
//   max_tokens (required), temperature 0..1, top_p, stop_sequences, stream, metadata.user_id
//   top_k                            -> checked, then ignored (no neutral equivalent)
// Other top-level fields are ignored: no field of the request can change where it is sent.
#include <nlohmann/json.hpp>

#include "core/chat.h"

namespace sb::gateway::anthropic_api {

// Throws ApiError 400 invalid_request_error naming the offending field.
ChatRequest parse_request(const nlohmann::json& body);

}  // namespace sb::gateway::anthropic_api
