#include "policies/decision/cost_estimate.h"

#include <algorithm>
#include <cstdint>

namespace sb::policies {
namespace {

// Framing the chat APIs add around each message and before the reply (OpenAI documents
// 3 + 3; the others are close).
constexpr int64_t kTokensPerMessage = 3;
constexpr int64_t kReplyPriming = 3;

double price_usd(int64_t tokens, double per_million) { return static_cast<double>(tokens) * per_million / 1e6; }

}  // namespace

int64_t estimate_input_tokens(const ChatRequest& request) {
  int64_t tokens = kReplyPriming;
  std::string joined;
  for (const Message& m : request.messages) {
    tokens += kTokensPerMessage + estimate_text_tokens(m.text_view(joined));
    for (const ContentPart& p : m.content)
      if (p.kind == ContentPart::Kind::ImageUrl) tokens += p.detail == "low" ? 85 : 765;  // OpenAI's tile pricing, 512x512-ish
    for (const ToolCall& call : m.tool_calls)
      tokens += estimate_text_tokens(call.name) + estimate_text_tokens(call.arguments);
  }
  for (const ToolDefinition& tool : request.tools)
    tokens += estimate_text_tokens(tool.name) + estimate_text_tokens(tool.description) +
              estimate_text_tokens(tool.parameters.dump());
  return tokens;
}

CostEstimate estimate_cost(const ChatRequest& request, int64_t remote_input_tokens, const std::string& model,
                           bool local, const config::Config& config, const LocalTokenCounter& count_local) {
  CostEstimate e;
  if (local && count_local) {
    if (auto exact = count_local(model, request)) {
      e.input_tokens = *exact;
      e.input_tokens_exact = true;
    }
  }
  if (!e.input_tokens_exact) e.input_tokens = remote_input_tokens;
  e.max_output_tokens = request.max_tokens.value_or(kDefaultMaxOutputTokens);
  e.expected_output_tokens = std::min(e.max_output_tokens, kExpectedOutputTokens);
  if (auto it = config.prices.find(model); it != config.prices.end()) {
    e.priced = true;
    const double input = price_usd(e.input_tokens, it->second.input);
    e.expected_usd = input + price_usd(e.expected_output_tokens, it->second.output);
    e.max_usd = input + price_usd(e.max_output_tokens, it->second.output);
  }
  return e;
}

nlohmann::json CostEstimate::to_json() const {
  return {{"input_tokens", input_tokens},     {"input_tokens_exact", input_tokens_exact},
          {"expected_output_tokens", expected_output_tokens}, {"max_output_tokens", max_output_tokens},
          {"priced", priced},                 {"expected_usd", expected_usd},
          {"max_usd", max_usd}};
}

}  // namespace sb::policies
