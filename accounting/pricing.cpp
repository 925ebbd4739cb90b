#include "accounting/pricing.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace sb::accounting {

namespace {

// Where an amount saturates: far above any budget (about $1.15 billion), and low enough that
// the few amounts a cost or hold adds up cannot overflow. Requests bound their token counts
// well below it; this keeps absurd counts from wrapping into small or negative holds.
constexpr double kMaxAmountNanousd = static_cast<double>(INT64_MAX / 8);

// tokens at `usd_per_million` USD per 1M tokens, in nano-dollars: tokens * price * 1000.
Money tokens_at(int64_t tokens, double usd_per_million) {
  const double nanousd = static_cast<double>(tokens) * usd_per_million * 1000.0;
  return {std::llround(std::clamp(nanousd, -kMaxAmountNanousd, kMaxAmountNanousd))};
}

}  // namespace

Money cost_of(const config::Price& price, const Usage& usage) {
  const int64_t cached = std::clamp<int64_t>(usage.cached_prompt_tokens, 0, usage.prompt_tokens);
  return tokens_at(usage.prompt_tokens - cached, price.input) +
         tokens_at(cached, price.cached_input.value_or(price.input)) +
         tokens_at(usage.completion_tokens, price.output);
}

const config::Price* PriceTable::find(std::string_view model) const {
  const auto it = prices_.find(model);
  return it == prices_.end() ? nullptr : &it->second;
}

Money PriceTable::cost(std::string_view model, const Usage& usage) const {
  const config::Price* price = find(model);
  return price ? cost_of(*price, usage) : Money{};
}

HoldEstimate PriceTable::hold_for(const std::vector<TargetTokens>& candidates) const {
  HoldEstimate dearest;
  for (const auto& c : candidates) {
    const HoldEstimate hold{cost(c.model, Usage{.prompt_tokens = c.input_tokens}),
                            cost(c.model, Usage{.completion_tokens = c.max_output_tokens})};
    if (hold.total() > dearest.total()) dearest = hold;
  }
  return dearest;
}

Money PriceTable::savings(const config::RouteConfig& route, std::string_view served_model,
                          const Usage& usage) const {
  const bool served_locally =
      std::find(route.local.begin(), route.local.end(), served_model) != route.local.end();
  if (!served_locally || route.cloud.empty() || !find(route.cloud.front())) return {};
  return std::max(Money{}, cost(route.cloud.front(), usage) - cost(served_model, usage));
}

}  // namespace sb::accounting
