#include "accounting/usage_estimate.h"

namespace sb::accounting {

namespace {
constexpr int64_t kBytesPerToken = 4;
constexpr int64_t kTokensPerMessage = 4;  // role and separators of the chat template
constexpr int64_t kTokensPerReply = 3;    // the assistant header the answer starts with
}  // namespace

int64_t estimate_tokens(std::string_view text) {
  return (static_cast<int64_t>(text.size()) + kBytesPerToken - 1) / kBytesPerToken;
}

int64_t estimate_prompt_tokens(const ChatRequest& request) {
  int64_t tokens = kTokensPerReply;
  for (const auto& message : request.messages) {
    tokens += kTokensPerMessage + estimate_tokens(message.text()) + estimate_tokens(message.name);
    for (const auto& call : message.tool_calls) {
      tokens += estimate_tokens(call.name) + estimate_tokens(call.arguments);
    }
  }
  for (const auto& tool : request.tools) {
    tokens += estimate_tokens(tool.name) + estimate_tokens(tool.description) +
              estimate_tokens(tool.parameters.dump());
  }
  return tokens;
}

ResolvedUsage resolve_usage(const std::optional<Usage>& reported, const ChatRequest& request,
                            std::string_view generated_text) {
  if (reported) return {*reported, false};
  return {Usage{.prompt_tokens = estimate_prompt_tokens(request),
                .completion_tokens = estimate_tokens(generated_text)},
          true};
}

}  // namespace sb::accounting
