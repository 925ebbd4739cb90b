#include "gateway/anthropic_api/messages_response.h"

namespace sb::gateway::anthropic_api {

using nlohmann::json;

std::string stop_reason(std::string_view finish_reason) {
  if (finish_reason == "length") return "max_tokens";
  if (finish_reason == "tool_calls") return "tool_use";
  if (finish_reason == "content_filter") return "refusal";
  return "end_turn";
}

json usage_to_json(const Usage& u) {
  const int64_t uncached = u.prompt_tokens - u.cached_prompt_tokens - u.cache_write_prompt_tokens;
  return {{"input_tokens", std::max<int64_t>(0, uncached)},
          {"output_tokens", u.completion_tokens},
          {"cache_creation_input_tokens", u.cache_write_prompt_tokens},
          {"cache_read_input_tokens", u.cached_prompt_tokens}};
}

json tool_input(const std::string& arguments) {
  if (arguments.empty()) return json::object();
  json input = json::parse(arguments, nullptr, false);
  if (input.is_object()) return input;
  return {{"_raw", arguments}};
}

json message_to_json(const ChatResponse& response, const std::string& message_id) {
  json content = json::array();
  std::string finish;
  if (!response.choices.empty()) {
    const Choice& choice = response.choices.front();
    finish = choice.finish_reason;
    if (const std::string text = choice.message.text(); !text.empty())
      content.push_back({{"type", "text"}, {"text", text}});
    for (const auto& call : choice.message.tool_calls)
      content.push_back({{"type", "tool_use"}, {"id", call.id}, {"name", call.name}, {"input", tool_input(call.arguments)}});
  }
  return {{"id", message_id},
          {"type", "message"},
          {"role", "assistant"},
          {"model", response.model},
          {"content", std::move(content)},
          {"stop_reason", stop_reason(finish)},
          {"stop_sequence", nullptr},
          {"usage", usage_to_json(response.usage.value_or(Usage{}))}};
}

}  // namespace sb::gateway::anthropic_api
