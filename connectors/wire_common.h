#pragma once
// Small translations every non-OpenAI wire format needs: image data URIs split into media
// type and base64 payload, tool-call argument text turned into the JSON object those APIs
// want, the tool name behind a tool_call_id, and the `created` time their answers lack.
// Pure functions, except unix_now.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/chat.h"

namespace sb::connectors::wire {

struct InlineImage {
  std::string media_type;  // e.g. "image/png"
  std::string base64;      // the payload, still base64-encoded
};

// "data:image/png;base64,AAAA" -> {"image/png", "AAAA"}; nullopt for anything else
// (http(s) URLs, data URIs that are not base64).
std::optional<InlineImage> parse_base64_data_uri(std::string_view url);

// The JSON object a tool call's argument text encodes; "" is {}. Throws ProviderError 400
// invalid_request_error (not retriable) when the text is not a JSON object: the client sent
// it in an assistant message, so no upstream can do better.
nlohmann::json tool_arguments_object(const ToolCall& call);

// tool_call_id -> tool name, from every assistant message of the conversation.
std::map<std::string, std::string> tool_names_by_call_id(const std::vector<Message>& messages);

// The tool an OpenAI tool_choice forces: {"type":"function","function":{"name":"x"}} -> "x";
// nullopt for a mode ("auto", "none", "required") and for anything malformed (parse_request
// rejects those from clients; this never throws on what it is given).
std::optional<std::string> forced_tool_name(const nlohmann::json& tool_choice);

// A provider's base URL with its API version path appended once: "https://h" and
// "https://h/v1/" both give "https://h/v1".
std::string versioned_base_url(std::string base_url, std::string_view version_path);

// Seconds since the Unix epoch: the `created` field of an OpenAI-shaped answer built from a
// wire format that does not carry one.
int64_t unix_now();

}  // namespace sb::connectors::wire
