#include "accounting/budget_check.h"

namespace sb::accounting {

std::optional<BudgetExceeded> check_budget(const BudgetCaps& caps, const WindowTotals& daily,
                                           const WindowTotals& monthly, Money amount,
                                           Timestamp now) {
  const auto refuses = [&](const std::optional<Money>& cap, const WindowTotals& totals) {
    return cap && totals.committed() + amount > *cap;
  };
  const auto exceeded = [&](BudgetWindow window, Money cap, const WindowTotals& totals) {
    return BudgetExceeded{window, window_reset(window, now), cap, totals.committed(), amount};
  };
  if (refuses(caps.monthly, monthly)) return exceeded(BudgetWindow::Monthly, *caps.monthly, monthly);
  if (refuses(caps.daily, daily)) return exceeded(BudgetWindow::Daily, *caps.daily, daily);
  return std::nullopt;
}

}  // namespace sb::accounting
