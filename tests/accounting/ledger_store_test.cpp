// The LedgerStore contract, run against every store (PostgreSQL when SB_TEST_PG_DSN is set).
#include <gtest/gtest.h>

#include "tests/accounting/ledger_test_support.h"

namespace sb::accounting {
namespace {

using test::at;
using test::charge_of;
using test::reservation;
using test::StoreKind;

using test::usd;

class LedgerStoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    if (auto reason = test::unavailable(GetParam())) GTEST_SKIP() << *reason;
    fixture_ = std::make_unique<test::LedgerFixture>(GetParam());
    store_ = fixture_->open();
  }

  const Timestamp noon_ = at("2025-03-15T12:00:00Z");
  const BudgetCaps caps_{usd(10), usd(100)};  // $10 a day, $100 a month
  std::unique_ptr<test::LedgerFixture> fixture_;
  std::unique_ptr<LedgerStore> store_;
};

const Reservation& as_reservation(const ReserveResult& r) {
  if (!std::holds_alternative<Reservation>(r)) throw std::logic_error("expected a reservation");
  return std::get<Reservation>(r);
}

TEST_P(LedgerStoreTest, ReserveHoldsAndSettleBooksTheRealCost) {
  const auto r = as_reservation(store_->reserve(reservation("r1", "eng", usd(2), caps_, noon_)));
  EXPECT_FALSE(r.replayed);
  EXPECT_EQ(r.amount, usd(2));
  EXPECT_EQ(store_->status("eng", noon_).daily.held, usd(2));
  EXPECT_EQ(store_->status("eng", noon_).monthly.held, usd(2));

  EXPECT_EQ(store_->settle("r1", charge_of(usd(0.5)), noon_), SettleOutcome::Settled);
  const BudgetStatus status = store_->status("eng", noon_);
  EXPECT_EQ(status.daily.held, Money{});
  EXPECT_EQ(status.daily.spent, usd(0.5));
  EXPECT_EQ(status.monthly.spent, usd(0.5));

  const auto entry = store_->find("r1");
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->state, EntryState::Settled);
  EXPECT_EQ(entry->cost, usd(0.5));
  EXPECT_EQ(entry->usage.prompt_tokens, 100);
  EXPECT_EQ(entry->usage.completion_tokens, 50);
  EXPECT_EQ(entry->target, "gpt-4o");
  EXPECT_EQ(entry->day, "2025-03-15");
  EXPECT_EQ(entry->month, "2025-03");
}

TEST_P(LedgerStoreTest, ReservingAnIdTwiceTakesOneHold) {
  as_reservation(store_->reserve(reservation("r1", "eng", usd(2), caps_, noon_)));
  const auto again = as_reservation(store_->reserve(reservation("r1", "eng", usd(2), caps_, noon_)));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.state, EntryState::Open);
  EXPECT_EQ(store_->status("eng", noon_).daily.held, usd(2));
}

TEST_P(LedgerStoreTest, SettlingTwiceBooksOnce) {
  as_reservation(store_->reserve(reservation("r1", "eng", usd(2), caps_, noon_)));
  EXPECT_EQ(store_->settle("r1", charge_of(usd(1)), noon_), SettleOutcome::Settled);
  EXPECT_EQ(store_->settle("r1", charge_of(usd(1.5)), noon_), SettleOutcome::AlreadyClosed);
  EXPECT_EQ(store_->status("eng", noon_).daily.spent, usd(1));
  EXPECT_EQ(store_->find("r1")->cost, usd(1));
  const auto replay = as_reservation(store_->reserve(reservation("r1", "eng", usd(2), caps_, noon_)));
  EXPECT_TRUE(replay.replayed);
  EXPECT_EQ(replay.state, EntryState::Settled);
  EXPECT_EQ(store_->status("eng", noon_).daily.held, Money{});
}

TEST_P(LedgerStoreTest, SettlingAnUnknownIdBooksNothing) {
  EXPECT_EQ(store_->settle("nope", charge_of(usd(1)), noon_), SettleOutcome::Unknown);
  EXPECT_FALSE(store_->find("nope"));
}

TEST_P(LedgerStoreTest, ReleaseDropsTheHoldAndBooksNothing) {
  as_reservation(store_->reserve(reservation("r1", "eng", usd(2), caps_, noon_)));
  EXPECT_TRUE(store_->release("r1", noon_));
  EXPECT_FALSE(store_->release("r1", noon_));
  EXPECT_EQ(store_->settle("r1", charge_of(usd(1)), noon_), SettleOutcome::AlreadyClosed);
  const BudgetStatus status = store_->status("eng", noon_);
  EXPECT_EQ(status.daily.held, Money{});
  EXPECT_EQ(status.daily.spent, Money{});
  EXPECT_EQ(store_->find("r1")->state, EntryState::Released);
}

TEST_P(LedgerStoreTest, AReservationOverTheDailyCapIsRefusedWithTheResetTime) {
  as_reservation(store_->reserve(reservation("r1", "eng", usd(6), caps_, noon_)));
  const auto refused = store_->reserve(reservation("r2", "eng", usd(5), caps_, noon_));
  ASSERT_TRUE(std::holds_alternative<BudgetExceeded>(refused));
  const auto& exceeded = std::get<BudgetExceeded>(refused);
  EXPECT_EQ(exceeded.window, BudgetWindow::Daily);
  EXPECT_EQ(exceeded.reset_at, at("2025-03-16"));
  EXPECT_EQ(exceeded.cap, usd(10));
  EXPECT_EQ(exceeded.committed, usd(6));
  EXPECT_EQ(exceeded.requested, usd(5));
  EXPECT_FALSE(store_->find("r2"));  // a refused request leaves no trace: it may retry
  // Exactly up to the cap still fits.
  as_reservation(store_->reserve(reservation("r3", "eng", usd(4), caps_, noon_)));
}

TEST_P(LedgerStoreTest, TheMonthlyCapCountsEveryDayOfTheMonth) {
  const BudgetCaps monthly_only{std::nullopt, usd(5)};
  as_reservation(store_->reserve(reservation("d1", "eng", usd(3), monthly_only, at("2025-03-01"))));
  store_->settle("d1", charge_of(usd(3)), at("2025-03-01"));
  const auto refused =
      store_->reserve(reservation("d20", "eng", usd(3), monthly_only, at("2025-03-20T08:00:00Z")));
  ASSERT_TRUE(std::holds_alternative<BudgetExceeded>(refused));
  EXPECT_EQ(std::get<BudgetExceeded>(refused).window, BudgetWindow::Monthly);
  EXPECT_EQ(std::get<BudgetExceeded>(refused).reset_at, at("2025-04-01"));
  // A new month starts from zero.
  as_reservation(store_->reserve(reservation("a1", "eng", usd(3), monthly_only, at("2025-04-01"))));
}

TEST_P(LedgerStoreTest, TheDailyWindowTurnsAtUtcMidnight) {
  as_reservation(store_->reserve(reservation("late", "eng", usd(9), caps_, at("2025-03-15T23:59:59Z"))));
  EXPECT_TRUE(std::holds_alternative<BudgetExceeded>(
      store_->reserve(reservation("x", "eng", usd(2), caps_, at("2025-03-15T23:59:59Z")))));
  as_reservation(store_->reserve(reservation("early", "eng", usd(9), caps_, at("2025-03-16T00:00:00Z"))));
  EXPECT_EQ(store_->status("eng", at("2025-03-16T10:00:00Z")).daily.held, usd(9));
  EXPECT_EQ(store_->status("eng", at("2025-03-16T10:00:00Z")).monthly.held, usd(18));
}

TEST_P(LedgerStoreTest, TeamsHaveSeparateBudgets) {
  as_reservation(store_->reserve(reservation("a", "eng", usd(10), caps_, noon_)));
  as_reservation(store_->reserve(reservation("b", "growth", usd(10), caps_, noon_)));
  EXPECT_TRUE(std::holds_alternative<BudgetExceeded>(
      store_->reserve(reservation("c", "eng", usd(0.01), caps_, noon_))));
}

TEST_P(LedgerStoreTest, NoCapsMeansNoLimit) {
  as_reservation(store_->reserve(reservation("big", "eng", usd(1e6), BudgetCaps{}, noon_)));
}

TEST_P(LedgerStoreTest, ReconcileBooksExpiredReservationsAtTheirProgressOrInputEstimate) {
  LedgerOptions options;
  options.reservation_ttl = std::chrono::minutes(5);
  store_ = fixture_->open(options);
  as_reservation(store_->reserve(reservation("silent", "eng", usd(3), caps_, noon_)));
  as_reservation(store_->reserve(reservation("streaming", "eng", usd(3), caps_, noon_)));
  as_reservation(store_->reserve(reservation("done", "eng", usd(3), caps_, noon_)));
  Charge so_far = charge_of(usd(2.5), "gpt-4o", kChargePartial);
  ASSERT_TRUE(store_->record_progress("streaming", so_far, noon_ + std::chrono::minutes(3)));
  store_->settle("done", charge_of(usd(0.2)), noon_);

  // Not expired yet: nothing happens.
  EXPECT_EQ(store_->reconcile_expired(noon_ + std::chrono::minutes(4)).reconciled, 0);
  // "silent" expires at +5 min; "streaming" renewed its lease until +8 min.
  const auto first = store_->reconcile_expired(noon_ + std::chrono::minutes(6));
  EXPECT_EQ(first.reconciled, 1);
  EXPECT_EQ(first.booked, usd(0.75));  // the input estimate: a quarter of the $3 hold
  const auto second = store_->reconcile_expired(noon_ + std::chrono::minutes(9));
  EXPECT_EQ(second.reconciled, 1);
  EXPECT_EQ(second.booked, usd(2.5));
  EXPECT_EQ(store_->reconcile_expired(noon_ + std::chrono::hours(9)).reconciled, 0);

  const auto silent = store_->find("silent");
  EXPECT_EQ(silent->state, EntryState::Settled);
  EXPECT_EQ(silent->flags & (kChargeReconciled | kChargeEstimated),
            kChargeReconciled | kChargeEstimated);
  const auto streaming = store_->find("streaming");
  EXPECT_EQ(streaming->usage.prompt_tokens, 100);
  EXPECT_NE(streaming->flags & kChargePartial, 0u);
  EXPECT_EQ(store_->status("eng", noon_).daily.spent, usd(0.75 + 2.5 + 0.2));
  EXPECT_EQ(store_->status("eng", noon_).daily.held, Money{});
  // The late settle of a reconciled request changes nothing.
  EXPECT_EQ(store_->settle("silent", charge_of(usd(3)), noon_), SettleOutcome::AlreadyClosed);
  EXPECT_FALSE(store_->record_progress("silent", so_far, noon_));
}

TEST_P(LedgerStoreTest, SpendGroupsSettledBookingsWithSavings) {
  const auto book = [&](const std::string& id, const std::string& team, const std::string& model,
                        Timestamp when, Charge charge) {
    as_reservation(store_->reserve(reservation(id, team, usd(1), BudgetCaps{}, when, model)));
    ASSERT_EQ(store_->settle(id, charge, when), SettleOutcome::Settled);
  };
  Charge local = charge_of(Money{}, "stories");
  local.savings = usd(0.03);
  Charge estimated = charge_of(usd(0.2), "gpt-4o", kChargeEstimated);
  book("1", "eng", "auto", at("2025-03-14T10:00:00Z"), charge_of(usd(0.1)));
  book("2", "eng", "auto", at("2025-03-15T10:00:00Z"), local);
  book("3", "growth", "gpt-4o", at("2025-03-15T11:00:00Z"), estimated);
  as_reservation(store_->reserve(reservation("open", "eng", usd(1), BudgetCaps{}, noon_)));
  as_reservation(store_->reserve(reservation("gone", "eng", usd(1), BudgetCaps{}, noon_)));
  store_->release("gone", noon_);

  const Timestamp from = at("2025-03-01"), to = at("2025-04-01");
  const auto by_day = store_->spend({std::nullopt, from, to, GroupBy::Day});
  ASSERT_EQ(by_day.size(), 2u);  // open and released entries are not spend
  EXPECT_EQ(by_day[0].group, "2025-03-14");
  EXPECT_EQ(by_day[0].requests, 1);
  EXPECT_EQ(by_day[0].cost, usd(0.1));
  EXPECT_EQ(by_day[1].group, "2025-03-15");
  EXPECT_EQ(by_day[1].requests, 2);
  EXPECT_EQ(by_day[1].cost, usd(0.2));
  EXPECT_EQ(by_day[1].savings, usd(0.03));
  EXPECT_EQ(by_day[1].estimated_requests, 1);
  EXPECT_EQ(by_day[1].prompt_tokens, 200);
  EXPECT_EQ(by_day[1].completion_tokens, 100);

  const auto by_target = store_->spend({std::string("eng"), from, to, GroupBy::Target});
  ASSERT_EQ(by_target.size(), 2u);
  EXPECT_EQ(by_target[0].group, "gpt-4o");
  EXPECT_EQ(by_target[1].group, "stories");
  EXPECT_EQ(by_target[1].savings, usd(0.03));

  const auto by_model = store_->spend({std::nullopt, from, to, GroupBy::Model});
  ASSERT_EQ(by_model.size(), 2u);
  EXPECT_EQ(by_model[0].group, "auto");
  EXPECT_EQ(by_model[0].requests, 2);

  const auto by_team = store_->spend({std::nullopt, at("2025-03-15"), to, GroupBy::Team});
  ASSERT_EQ(by_team.size(), 2u);
  EXPECT_EQ(by_team[0].group, "eng");
  EXPECT_EQ(by_team[0].cost, Money{});
  EXPECT_EQ(by_team[1].group, "growth");
  EXPECT_EQ(by_team[1].cost, usd(0.2));
}

TEST_P(LedgerStoreTest, ALedgerSurvivesReopening) {
  as_reservation(store_->reserve(reservation("r1", "eng", usd(2), caps_, noon_)));
  store_->settle("r1", charge_of(usd(1)), noon_);
  store_.reset();
  store_ = fixture_->open();
  EXPECT_EQ(store_->status("eng", noon_).daily.spent, usd(1));
  EXPECT_EQ(store_->settle("r1", charge_of(usd(1)), noon_), SettleOutcome::AlreadyClosed);
}

INSTANTIATE_TEST_SUITE_P(Stores, LedgerStoreTest,
                         ::testing::Values(StoreKind::Sqlite, StoreKind::Postgres),
                         [](const auto& info) { return test::store_name(info.param); });

}  // namespace
}  // namespace sb::accounting
