#include "accounting/ledger_types.h"

namespace sb::accounting {

BudgetCaps BudgetCaps::from_config(const config::Budget& budget) {
  BudgetCaps caps;
  if (budget.daily_usd) caps.daily = Money::from_usd(*budget.daily_usd);
  if (budget.monthly_usd) caps.monthly = Money::from_usd(*budget.monthly_usd);
  return caps;
}

const char* to_string(EntryState s) {
  switch (s) {
    case EntryState::Open: return "open";
    case EntryState::Settled: return "settled";
    case EntryState::Released: return "released";
  }
  return "?";
}

std::optional<GroupBy> parse_group_by(std::string_view s) {
  if (s == "day") return GroupBy::Day;
  if (s == "model") return GroupBy::Model;
  if (s == "target") return GroupBy::Target;
  if (s == "team") return GroupBy::Team;
  return std::nullopt;
}

const char* to_string(GroupBy g) {
  switch (g) {
    case GroupBy::Day: return "day";
    case GroupBy::Model: return "model";
    case GroupBy::Target: return "target";
    case GroupBy::Team: return "team";
  }
  return "?";
}

}  // namespace sb::accounting
