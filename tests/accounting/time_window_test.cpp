#include "accounting/time_window.h"

#include <gtest/gtest.h>

namespace sb::accounting {
namespace {

Timestamp at(std::string_view s) { return parse_iso8601(s).value(); }

TEST(TimeWindowTest, KeysAreUtcCalendarDaysAndMonths) {
  EXPECT_EQ(day_key(at("2025-03-15T23:59:59Z")), "2025-03-15");
  EXPECT_EQ(day_key(at("2025-03-16T00:00:00Z")), "2025-03-16");
  EXPECT_EQ(month_key(at("2025-03-31T23:59:59Z")), "2025-03");
  EXPECT_EQ(day_key(from_unix_ms(0)), "1970-01-01");
}

TEST(TimeWindowTest, WindowsStartAndResetAtUtcBoundaries) {
  const Timestamp t = at("2025-03-15T12:34:56Z");
  EXPECT_EQ(window_start(BudgetWindow::Daily, t), at("2025-03-15"));
  EXPECT_EQ(window_reset(BudgetWindow::Daily, t), at("2025-03-16"));
  EXPECT_EQ(window_start(BudgetWindow::Monthly, t), at("2025-03-01"));
  EXPECT_EQ(window_reset(BudgetWindow::Monthly, t), at("2025-04-01"));
  EXPECT_EQ(window_reset(BudgetWindow::Monthly, at("2025-12-31T23:00:00Z")), at("2026-01-01"));
  EXPECT_EQ(window_reset(BudgetWindow::Daily, at("2024-02-28T10:00:00Z")), at("2024-02-29"));
  EXPECT_EQ(window_reset(BudgetWindow::Daily, at("2025-02-28T10:00:00Z")), at("2025-03-01"));
}

TEST(TimeWindowTest, Iso8601RoundTrips) {
  EXPECT_EQ(format_iso8601(at("2025-03-15T12:34:56Z")), "2025-03-15T12:34:56Z");
  EXPECT_EQ(format_iso8601(at("2025-03-15")), "2025-03-15T00:00:00Z");
  EXPECT_EQ(to_unix_ms(at("1970-01-02")), 86'400'000);
}

TEST(TimeWindowTest, MalformedTimestampsAreRejected) {
  for (const char* bad : {"", "2025-3-15", "2025-02-30", "2025-03-15T25:00:00Z",
                          "2025-03-15T12:00:00", "2025-03-15x", "20a5-03-15", "2025-13-01"}) {
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  }
}

}  // namespace
}  // namespace sb::accounting
