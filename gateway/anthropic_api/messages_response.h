#pragma once
// Neutral answers written as the Anthropic Messages API writes them: the whole message
// object, and the pieces the stream encoder shares with it (stop_reason, usage, tool input).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/chat.h"

namespace sb::gateway::anthropic_api {

// {"id", "type": "message", "role": "assistant", "model", "content": [text and tool_use
// blocks], "stop_reason", "stop_sequence": null, "usage"}; the first choice only.
nlohmann::json message_to_json(const ChatResponse& response, const std::string& message_id);

// "stop" -> end_turn, "length" -> max_tokens, "tool_calls" -> tool_use,
// "content_filter" -> refusal; anything else (or nothing) -> end_turn.
std::string stop_reason(std::string_view finish_reason);

// Anthropic counts cached input apart: input_tokens excludes cache reads and writes.
nlohmann::json usage_to_json(const Usage& usage);

// A tool call's argument text as the `input` object; text that is not a JSON object (a
// model's malformed output) is kept whole under "_raw" rather than lost.
nlohmann::json tool_input(const std::string& arguments);

}  // namespace sb::gateway::anthropic_api
