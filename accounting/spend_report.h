#pragma once
// Reading spend reports: the period a report covers and the totals of its rows. Shared by
// GET /v1/spend and `switchboard spend`.
#include <optional>
#include <string_view>
#include <vector>

#include "accounting/ledger_types.h"

namespace sb::accounting {

// [from, to): from defaults to the start of now's UTC month, to to the start of tomorrow
// (UTC), so that today's bookings are in. Each bound is "2025-03-01" or
// "2025-03-01T12:00:00Z"; nullopt when one is given and malformed.
struct SpendPeriod {
  Timestamp from;
  Timestamp to;
};
std::optional<SpendPeriod> spend_period(std::optional<std::string_view> from,
                                        std::optional<std::string_view> to, Timestamp now);

SpendRow total_of(const std::vector<SpendRow>& rows);  // group "total"

}  // namespace sb::accounting
