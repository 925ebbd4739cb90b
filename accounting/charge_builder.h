#pragma once
// What the ledger books for an answered request: cost from the usage the provider reported
// (cloud APIs report it; the local engine counts its tokens exactly), priced by the model that
// answered, plus the savings of a locally served route.
//
// When usage is missing (a stream cut before its usage chunk, a client that left mid-stream,
// a server that omits it) the caller's estimate is booked instead and the booking is flagged
// kChargeEstimated; reports count estimated bookings apart. The gateway estimates with the
// policy engine's token estimator: the prompt as decided, the completion from the text
// generated so far.
//
// A partial charge (kChargePartial) books at least the estimated completion even when usage
// was reported, since a cut stream's last usage report may be from before most of the answer;
// it is then flagged kChargeEstimated too.
#include <cstdint>
#include <optional>
#include <string>

#include "accounting/ledger_types.h"
#include "accounting/pricing.h"

namespace sb::accounting {

struct ChargeInput {
  std::string target;                          // the model that answered
  std::optional<Usage> reported;               // nullopt when the provider sent none
  Usage estimate;                              // booked when nothing was reported
  const config::RouteConfig* route = nullptr;  // the route chosen; nullptr for a concrete model
  uint32_t flags = 0;                          // e.g. kChargePartial for a cut answer
};

Charge build_charge(const PriceTable& prices, const ChargeInput& input);

}  // namespace sb::accounting
