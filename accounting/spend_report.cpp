#include "accounting/spend_report.h"

namespace sb::accounting {

std::optional<SpendPeriod> spend_period(std::optional<std::string_view> from,
                                        std::optional<std::string_view> to, Timestamp now) {
  SpendPeriod period{window_start(BudgetWindow::Monthly, now), window_reset(BudgetWindow::Daily, now)};
  if (from) {
    const auto t = parse_iso8601(*from);
    if (!t) return std::nullopt;
    period.from = *t;
  }
  if (to) {
    const auto t = parse_iso8601(*to);
    if (!t) return std::nullopt;
    period.to = *t;
  }
  return period;
}

SpendRow total_of(const std::vector<SpendRow>& rows) {
  SpendRow total;
  total.group = "total";
  for (const auto& r : rows) {
    total.requests += r.requests;
    total.prompt_tokens += r.prompt_tokens;
    total.completion_tokens += r.completion_tokens;
    total.cached_prompt_tokens += r.cached_prompt_tokens;
    total.cost += r.cost;
    total.savings += r.savings;
    total.estimated_requests += r.estimated_requests;
  }
  return total;
}

}  // namespace sb::accounting
