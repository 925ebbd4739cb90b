#pragma once
// Whether a reservation fits a team's caps, given what its day and month already hold.
#include <optional>

#include "accounting/ledger_types.h"

namespace sb::accounting {

// nullopt when `amount` fits under every cap set. When it does not, names the monthly window
// if that one refuses (waiting for the next day would not help), else the daily one.
std::optional<BudgetExceeded> check_budget(const BudgetCaps& caps, const WindowTotals& daily,
                                           const WindowTotals& monthly, Money amount,
                                           Timestamp now);

}  // namespace sb::accounting
