#pragma once
// The Anthropic Messages API wire format (POST /v1/messages, anthropic-version 2023-06-01),
// translated to and from the neutral chat types. Pure functions and one stateful stream
// decoder; no I/O. Reference: docs.anthropic.com/en/api/messages and .../messages-streaming.
//
// Request mapping (neutral -> Anthropic):
//   system messages         -> top-level "system" (joined by a blank line)
//   user text / image parts -> "text" / "image" blocks (data: URI -> base64 source, URL -> url source)
//   assistant tool_calls    -> "tool_use" blocks (arguments parsed into "input")
//   tool messages           -> "tool_result" blocks in a user turn; consecutive turns of one role merge
//   max_tokens (required)   -> the client's value, else RequestOptions::default_max_tokens
//   temperature             -> clamped to Anthropic's 0..1; stop -> stop_sequences; user -> metadata.user_id
//   tool_choice auto|none|required|{function} -> {type: auto|none|any|tool}
//   seed, penalties, logit_bias, response_format have no Anthropic equivalent and are not sent;
//   n > 1 is refused (ProviderError 400, retriable so another target may serve it).
// Response mapping: text blocks -> content, tool_use -> tool_calls, thinking and server-tool
// blocks are skipped; stop_reason -> OpenAI finish_reason; usage -> Usage (see parse_usage).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/chat.h"

namespace sb::connectors::anthropic {

inline constexpr const char* kApiVersion = "2023-06-01";
// Sent when the client names no limit: Anthropic requires max_tokens, and 4096 is within the
// output limit of every Claude model (the smallest, Claude 3 Haiku's, is exactly 4096).
inline constexpr int64_t kDefaultMaxTokens = 4096;

struct RequestOptions {
  int64_t default_max_tokens = kDefaultMaxTokens;
};

// ChatRequest -> Messages API request body ("stream": true when request.stream).
nlohmann::json request_to_json(const ChatRequest& request, const RequestOptions& options = {});

// A Messages API response -> ChatResponse (one choice; `created` is left 0: Anthropic sends
// no timestamp). Throws ProviderError 502 bad_upstream_response when it is not that format.
ChatResponse parse_response(const nlohmann::json& body);

// Anthropic's input_tokens excludes cached input, so prompt_tokens = input_tokens +
// cache_creation_input_tokens + cache_read_input_tokens; cached_prompt_tokens = cache reads,
// cache_write_prompt_tokens = cache creation.
Usage parse_usage(const nlohmann::json& usage);

// end_turn, stop_sequence, pause_turn -> "stop"; max_tokens, model_context_window_exceeded ->
// "length"; tool_use -> "tool_calls"; refusal -> "content_filter"; anything else -> "stop".
std::string finish_reason(std::string_view stop_reason);

// The HTTP status Anthropic uses for an error type (an `error` event inside a stream has a
// type but no status): overloaded_error 529, rate_limit_error 429, api_error 500, ...
int status_for_error_type(std::string_view error_type);

// Decodes one Messages stream, event by event (the JSON `data` of each SSE event; its
// "type" names the event). Keeps what the later events need: the message id and model,
// which content block is which tool call, and usage split over message_start/message_delta.
class StreamDecoder {
 public:
  // The chunk this event produces, if any: message_start -> role chunk; text and tool_use
  // block starts and their deltas -> content / tool-call deltas; message_delta -> finish
  // chunk. ping, *_stop, thinking blocks and unknown events produce nothing.
  // An `error` event throws nothing: it is kept in error() and the stream should stop.
  // Throws ProviderError 502 bad_upstream_response for an event that is not the format.
  std::optional<ChatChunk> decode(const nlohmann::json& event);

  bool finished() const { return finished_; }  // message_stop seen
  const std::optional<nlohmann::json>& error() const { return error_; }  // the whole error event
  const std::optional<Usage>& usage() const { return usage_; }          // nullopt: none was sent
  const std::string& finish_reason() const { return finish_reason_; }

 private:
  ChatChunk make_chunk() const;
  void merge_usage(const nlohmann::json& usage);

  std::string id_;
  std::string model_;
  std::map<int64_t, int> tool_index_by_block_;  // content block index -> tool call ordinal
  nlohmann::json raw_usage_ = nlohmann::json::object();  // message_delta's counts override message_start's
  std::optional<Usage> usage_;
  std::string finish_reason_;
  bool finished_ = false;
  std::optional<nlohmann::json> error_;
};

}  // namespace sb::connectors::anthropic
