// A gateway process SIGKILLed with reservations open and writes in flight: after a restart
// and reconcile_expired every request is booked exactly once, and nothing is lost or doubled.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "tests/accounting/child_process.h"
#include "tests/accounting/ledger_test_support.h"

namespace sb::accounting {
namespace {

using test::StoreKind;

using test::kNow;
const Money kHold = Money::from_usd(0.04);     // input estimate: a quarter, $0.01
const Money kSettled = Money::from_usd(0.003);
const Money kProgress = Money::from_usd(0.02);
constexpr int kSettledCount = 20;   // ids c0..c19: settled before the kill
constexpr int kStreaming = 10;      // c20..c29: progress recorded, then killed mid-stream
constexpr int kOpen = 20;           // c30..c49: reserved, nothing more
constexpr int kFixed = kSettledCount + kStreaming + kOpen;

LedgerOptions short_leases() {
  LedgerOptions options;
  options.reservation_ttl = std::chrono::minutes(1);
  return options;
}

std::string id(int i) { return test::numbered("c", i); }

// The dying gateway: books the fixed set, says it is ready, then keeps reserving and
// settling until it is killed (so the kill lands among writes in flight).
void doomed_gateway(const test::LedgerFixture& fixture, const std::function<void()>& ready) {
  auto store = fixture.open(short_leases());
  for (int i = 0; i < kFixed; ++i) {
    store->reserve(test::reservation(id(i), "eng", kHold, BudgetCaps{}, kNow));
    if (i < kSettledCount) {
      store->settle(id(i), test::charge_of(kSettled), kNow);
    } else if (i < kSettledCount + kStreaming) {
      store->record_progress(id(i), test::charge_of(kProgress, "gpt-4o", kChargePartial), kNow);
    }
  }
  ready();
  for (int i = 0;; ++i) {
    const std::string loop_id = test::numbered("loop", i);
    store->reserve(test::reservation(loop_id, "eng", kHold, BudgetCaps{}, kNow));
    store->settle(loop_id, test::charge_of(kSettled), kNow);
  }
}

class LedgerCrashTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    if (auto reason = test::unavailable(GetParam())) GTEST_SKIP() << *reason;
    fixture_ = std::make_unique<test::LedgerFixture>(GetParam());
  }
  std::unique_ptr<test::LedgerFixture> fixture_;
};

TEST_P(LedgerCrashTest, EveryRequestIsBookedExactlyOnceAfterSigkillAndRestart) {
  {
    test::Child gateway([&](const auto& ready) { doomed_gateway(*fixture_, ready); });
    ASSERT_TRUE(gateway.wait_ready());
    gateway.kill_hard();
  }

  // The restart: reconcile once the dead process's leases have run out.
  auto store = fixture_->open(short_leases());
  const Timestamp restart = kNow + std::chrono::minutes(2);
  const ReconcileSummary summary = store->reconcile_expired(restart);
  EXPECT_GE(summary.reconciled, kStreaming + kOpen);  // + the loop's reservation in flight

  for (int i = 0; i < kFixed; ++i) {
    const auto entry = store->find(id(i));
    ASSERT_TRUE(entry) << id(i);
    EXPECT_EQ(entry->state, EntryState::Settled) << id(i);
    if (i < kSettledCount) {
      EXPECT_EQ(entry->cost, kSettled) << id(i);
      EXPECT_EQ(entry->flags & kChargeReconciled, 0u) << id(i);
    } else if (i < kSettledCount + kStreaming) {
      EXPECT_EQ(entry->cost, kProgress) << id(i);  // what the stream had used when it died
      EXPECT_NE(entry->flags & kChargeReconciled, 0u) << id(i);
      EXPECT_NE(entry->flags & kChargePartial, 0u) << id(i);
    } else {
      EXPECT_EQ(entry->cost, Money{kHold.nanousd / 4}) << id(i);  // the input estimate
      EXPECT_NE(entry->flags & kChargeEstimated, 0u) << id(i);
    }
  }

  // Exactly once: the budget counters agree with the sum of the booked rows, nothing is held,
  // and booking again (a late settle, a second reconcile) changes nothing.
  const auto totals = [&] {
    const auto rows = store->spend({std::string("eng"), test::at("2025-03-15"),
                                    test::at("2025-03-16"), GroupBy::Team});
    return rows.empty() ? SpendRow{} : rows[0];
  };
  const SpendRow before = totals();
  EXPECT_GE(before.requests, kFixed);
  const BudgetStatus status = store->status("eng", restart);
  EXPECT_EQ(status.daily.held, Money{});
  EXPECT_EQ(status.daily.spent, before.cost);
  EXPECT_EQ(status.monthly.spent, before.cost);

  for (int i = 0; i < kFixed; ++i) {
    EXPECT_EQ(store->settle(id(i), test::charge_of(kSettled), restart), SettleOutcome::AlreadyClosed);
  }
  EXPECT_EQ(store->reconcile_expired(restart + std::chrono::hours(1)).reconciled, 0);
  const SpendRow after = totals();
  EXPECT_EQ(after.requests, before.requests);
  EXPECT_EQ(after.cost, before.cost);
  EXPECT_EQ(store->status("eng", restart).daily.spent, before.cost);
}

INSTANTIATE_TEST_SUITE_P(Stores, LedgerCrashTest,
                         ::testing::Values(StoreKind::Sqlite, StoreKind::Postgres),
                         [](const auto& info) { return test::store_name(info.param); });

}  // namespace
}  // namespace sb::accounting
