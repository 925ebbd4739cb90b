#include "accounting/charge_builder.h"

namespace sb::accounting {

Charge build_charge(const PriceTable& prices, const ChargeInput& input) {
  Charge charge;
  charge.target = input.target;
  charge.flags = input.flags;
  charge.usage = input.reported.value_or(input.estimate);
  if (!input.reported) charge.flags |= kChargeEstimated;
  // A cut stream's "reported" usage may predate most of the answer (Anthropic's message_start
  // counts one output token): never book less than what was seen generated.
  if (input.reported && (input.flags & kChargePartial) &&
      input.estimate.completion_tokens > charge.usage.completion_tokens) {
    charge.usage.completion_tokens = input.estimate.completion_tokens;
    charge.flags |= kChargeEstimated;
  }
  charge.cost = prices.cost(input.target, charge.usage);
  if (input.route) charge.savings = prices.savings(*input.route, input.target, charge.usage);
  return charge;
}

}  // namespace sb::accounting
