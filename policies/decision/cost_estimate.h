#pragma once
// What a request is expected to cost on one target, before it is sent.
//
// Input tokens: the model's own tokenizer for local models (through an injected counter,
// so policies stay free of the engine), else estimate_input_tokens(), an approximation of
// the BPE tokenizers of the cloud APIs calibrated on real prompts (see the test).
// Output tokens: the client's max_tokens, else kDefaultMaxOutputTokens, bound the worst
// case (what a budget reservation holds); the expected case is capped at
// kExpectedOutputTokens. Prices come from config (USD per 1M tokens; 0 when unset).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/chat.h"
#include "core/config/config.h"
#include "policies/decision/token_estimate.h"  // estimate_text_tokens: one text, no framing

namespace sb::policies {

inline constexpr int64_t kDefaultMaxOutputTokens = 4096;
inline constexpr int64_t kExpectedOutputTokens = 512;

// Exact prompt tokens of a request on a local model (chat template + tokenizer);
// nullopt when the model cannot count now (e.g. not loaded yet).
using LocalTokenCounter = std::function<std::optional<int64_t>(const std::string& model, const ChatRequest&)>;

struct CostEstimate {
  int64_t input_tokens = 0;
  bool input_tokens_exact = false;  // counted by the model's tokenizer
  int64_t expected_output_tokens = 0;
  int64_t max_output_tokens = 0;
  bool priced = false;              // the config has a price for the model
  double expected_usd = 0;
  double max_usd = 0;               // input + max_output_tokens: what a reservation holds

  nlohmann::json to_json() const;
};

// Tokens of the request as a cloud API would count them: text, tool definitions and
// arguments, plus per-message framing. Never 0 for a request with messages.
int64_t estimate_input_tokens(const ChatRequest& request);

// `remote_input_tokens`: estimate_input_tokens(request), computed once per request.
CostEstimate estimate_cost(const ChatRequest& request, int64_t remote_input_tokens, const std::string& model,
                           bool local, const config::Config& config, const LocalTokenCounter& count_local);

}  // namespace sb::policies
