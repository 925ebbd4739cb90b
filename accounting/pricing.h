#pragma once
// The price table from the configuration (`prices:`, USD per 1M tokens) and what usage costs.
// A model without a price costs nothing: local models are free unless the operator prices them.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/money.h"
#include "core/chat.h"
#include "core/config/config.h"

namespace sb::accounting {

// Uncached prompt tokens at the input price, cached ones at cached_input (the input price when
// unset), completion tokens at the output price.
Money cost_of(const config::Price& price, const Usage& usage);

// A target a request may be sent to, with the tokens it may use there.
struct TargetTokens {
  std::string model;
  int64_t input_tokens = 0;       // the estimated prompt
  int64_t max_output_tokens = 0;  // the client's max_tokens, or the default cap
};

struct HoldEstimate {
  Money input;
  Money output_max;
  Money total() const { return input + output_max; }
};

class PriceTable {
 public:
  PriceTable() = default;
  explicit PriceTable(const std::map<std::string, config::Price>& prices)
      : prices_(prices.begin(), prices.end()) {}

  const config::Price* find(std::string_view model) const;  // nullptr when unpriced
  Money cost(std::string_view model, const Usage& usage) const;  // zero when unpriced

  // The hold a request takes before it is sent (ReserveRequest's input_estimate and
  // output_max): for the dearest of the targets it may fall back to, its estimated prompt at
  // the input price plus its max output tokens at the output price.
  HoldEstimate hold_for(const std::vector<TargetTokens>& candidates) const;

  // Savings of serving locally: what `usage` would have cost on the route's first cloud model,
  // minus what it cost on served_model. Zero unless served_model is one of the route's local
  // models and the route has a priced cloud model.
  Money savings(const config::RouteConfig& route, std::string_view served_model,
                const Usage& usage) const;

 private:
  std::map<std::string, config::Price, std::less<>> prices_;
};

}  // namespace sb::accounting
