#pragma once
// Provider-neutral chat types. The gateway parses OpenAI and Anthropic requests into
// ChatRequest; policies decide on it; every Provider translates it to its own wire format
// and its answer back into ChatResponse / ChatChunk. Nothing here knows any provider.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sb {

enum class Role { System, User, Assistant, Tool };
const char* to_string(Role role);
std::optional<Role> role_from_string(std::string_view s);  // "developer" maps to System

struct ContentPart {
  enum class Kind { Text, ImageUrl };
  Kind kind = Kind::Text;
  std::string text;       // Kind::Text
  std::string image_url;  // Kind::ImageUrl: http(s) URL or data: URI
  std::string detail;     // Kind::ImageUrl: "auto" | "low" | "high" | ""
};

struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // JSON text exactly as the model produced it
};

struct Message {
  Role role = Role::User;
  std::vector<ContentPart> content;
  std::string name;                  // optional participant name
  std::vector<ToolCall> tool_calls;  // Role::Assistant
  std::string tool_call_id;          // Role::Tool

  // All text parts joined (no separator); what detectors and tokenizers read.
  std::string text() const;
  // The same text without a copy when the message has one text part (the usual case);
  // else text() kept in `storage`, which must outlive the view.
  std::string_view text_view(std::string& storage) const;
};

struct ToolDefinition {
  std::string name;
  std::string description;
  nlohmann::json parameters;  // JSON Schema object
};

struct ChatRequest {
  std::string model;
  std::vector<Message> messages;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int64_t> max_tokens;  // max_tokens or max_completion_tokens
  std::vector<std::string> stop;
  std::optional<int64_t> seed;
  std::optional<double> presence_penalty;
  std::optional<double> frequency_penalty;
  std::map<int64_t, double> logit_bias;  // token id -> bias
  int n = 1;
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
  std::vector<ToolDefinition> tools;
  nlohmann::json tool_choice;      // null when absent; "auto" | "none" | "required" | object
  nlohmann::json response_format;  // null when absent
  std::string user;
};

struct Usage {
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t cached_prompt_tokens = 0;  // part of prompt_tokens billed at the cached price
  int64_t cache_write_prompt_tokens = 0;  // part of prompt_tokens written to the provider's cache
                                          // (Anthropic bills these at a premium); 0 elsewhere
  int64_t total() const { return prompt_tokens + completion_tokens; }
};

struct Choice {
  int index = 0;
  Message message;            // role Assistant
  std::string finish_reason;  // "stop" | "length" | "tool_calls" | "content_filter"
};

struct ChatResponse {
  std::string id;
  std::string model;
  int64_t created = 0;  // unix seconds
  std::vector<Choice> choices;
  std::optional<Usage> usage;
};

// One piece of a streamed answer. A stream is: a chunk with the role, content or tool-call
// deltas, one chunk with finish_reason, and (when asked) a chunk carrying only usage.
struct ToolCallDelta {
  int index = 0;
  std::string id;         // set on the first delta of a call
  std::string name;       // set on the first delta of a call
  std::string arguments;  // a fragment of the JSON arguments
};

struct ChatChunk {
  std::string id;
  std::string model;
  int64_t created = 0;
  int index = 0;
  std::optional<Role> role;
  std::string content;
  std::vector<ToolCallDelta> tool_calls;
  std::string finish_reason;  // empty until the last content chunk
  std::optional<Usage> usage;
};

}  // namespace sb
