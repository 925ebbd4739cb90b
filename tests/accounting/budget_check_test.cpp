#include "accounting/budget_check.h"

#include <gtest/gtest.h>

#include "tests/accounting/ledger_test_support.h"

namespace sb::accounting {
namespace {

using test::kNow;
using test::usd;

TEST(BudgetCheckTest, FitsUpToAndIncludingTheCap) {
  const BudgetCaps caps{usd(10), usd(100)};
  EXPECT_FALSE(check_budget(caps, {usd(6), usd(2)}, {usd(50), usd(2)}, usd(2), kNow));
  const auto refused = check_budget(caps, {usd(6), usd(2)}, {usd(50), usd(2)}, usd(2.01), kNow);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->window, BudgetWindow::Daily);
  EXPECT_EQ(refused->committed, usd(8));
  EXPECT_EQ(refused->cap, usd(10));
  EXPECT_EQ(refused->reset_at, parse_iso8601("2025-03-16").value());
}

TEST(BudgetCheckTest, TheMonthlyWindowIsNamedWhenBothRefuse) {
  const BudgetCaps caps{usd(10), usd(100)};
  const auto refused = check_budget(caps, {usd(9), {}}, {usd(99.5), {}}, usd(1), kNow);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->window, BudgetWindow::Monthly);
  EXPECT_EQ(refused->reset_at, parse_iso8601("2025-04-01").value());
}

TEST(BudgetCheckTest, UnsetCapsNeverRefuse) {
  EXPECT_FALSE(check_budget(BudgetCaps{}, {usd(1e9), {}}, {usd(1e9), {}}, usd(1e6), kNow));
}

TEST(BudgetCheckTest, CapsComeFromTheTeamConfig) {
  const auto caps = BudgetCaps::from_config(config::Budget{5.0, std::nullopt});
  EXPECT_EQ(caps.daily, usd(5));
  EXPECT_FALSE(caps.monthly);
}

}  // namespace
}  // namespace sb::accounting
