// Budgets under load: many concurrent reservations, in one process and in two processes
// sharing one ledger (two gateway replicas), never book more than the cap.
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/accounting/child_process.h"
#include "tests/accounting/ledger_test_support.h"

namespace sb::accounting {
namespace {

using test::StoreKind;

constexpr int kRequests = 1000;
constexpr int kFitting = 100;
const Money kCost = Money::from_usd(0.01);
using test::kNow;
const BudgetCaps kCaps{Money{kCost.nanousd * kFitting}, std::nullopt};  // fits 100 requests

enum class Finish { Settle, SettleOrRelease };

// `count` threads released at once; each reserves kCost and, when it got the reservation,
// settles it at kCost (or, with SettleOrRelease, releases every odd one). Returns how many
// reservations were granted.
int64_t reserve_concurrently(LedgerStore& store, const std::string& prefix, int count,
                             Finish finish) {
  std::latch start(count);
  std::atomic<int64_t> granted{0};
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      const std::string id = test::numbered(prefix, i);
      start.arrive_and_wait();
      const auto result = store.reserve(test::reservation(id, "eng", kCost, kCaps, kNow));
      if (!std::holds_alternative<Reservation>(result)) return;
      granted.fetch_add(1);
      if (finish == Finish::SettleOrRelease && i % 2 == 1) {
        store.release(id, kNow);
      } else {
        store.settle(id, test::charge_of(kCost), kNow);
      }
    });
  }
  for (auto& t : threads) t.join();
  return granted.load();
}

class LedgerConcurrencyTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    if (auto reason = test::unavailable(GetParam())) GTEST_SKIP() << *reason;
    fixture_ = std::make_unique<test::LedgerFixture>(GetParam());
  }
  std::unique_ptr<test::LedgerFixture> fixture_;
};

TEST_P(LedgerConcurrencyTest, AThousandConcurrentRequestsAgainstACapForAHundred) {
  auto store = fixture_->open();
  EXPECT_EQ(reserve_concurrently(*store, "r", kRequests, Finish::Settle), kFitting);
  const BudgetStatus status = store->status("eng", kNow);
  EXPECT_EQ(status.daily.spent, *kCaps.daily);
  EXPECT_EQ(status.daily.held, Money{});
  const auto spend = store->spend({std::nullopt, test::at("2025-03-15"), test::at("2025-03-16"),
                                   GroupBy::Team});
  ASSERT_EQ(spend.size(), 1u);
  EXPECT_EQ(spend[0].requests, kFitting);
  EXPECT_EQ(spend[0].cost, *kCaps.daily);
}

TEST_P(LedgerConcurrencyTest, ReleasedHoldsAreReusedButSpendStaysUnderTheCap) {
  auto store = fixture_->open();
  const int64_t granted = reserve_concurrently(*store, "r", kRequests, Finish::SettleOrRelease);
  EXPECT_GE(granted, kFitting);
  const BudgetStatus status = store->status("eng", kNow);
  EXPECT_LE(status.daily.spent, *kCaps.daily);
  EXPECT_EQ(status.daily.held, Money{});
  const auto spend = store->spend({std::nullopt, test::at("2025-03-15"), test::at("2025-03-16"),
                                   GroupBy::Team});
  ASSERT_EQ(spend.size(), 1u);
  EXPECT_EQ(spend[0].cost, status.daily.spent);
  EXPECT_EQ(spend[0].cost.nanousd, spend[0].requests * kCost.nanousd);
}

TEST_P(LedgerConcurrencyTest, TwoProcessesSharingOneLedgerFitExactlyTheCap) {
  // Each child is a separate process with its own store (connections, writer thread), like
  // two gateway replicas; 500 concurrent requests each.
  const auto granted = test::run_in_children(2, [&](int child) {
    auto store = fixture_->open();
    return reserve_concurrently(*store, test::numbered("p", child) + "-", kRequests / 2,
                                Finish::Settle);
  });
  EXPECT_EQ(granted[0] + granted[1], kFitting);
  auto store = fixture_->open();
  EXPECT_EQ(store->status("eng", kNow).daily.spent, *kCaps.daily);
  EXPECT_EQ(store->status("eng", kNow).daily.held, Money{});
}

INSTANTIATE_TEST_SUITE_P(Stores, LedgerConcurrencyTest,
                         ::testing::Values(StoreKind::Sqlite, StoreKind::Postgres),
                         [](const auto& info) { return test::store_name(info.param); });

}  // namespace
}  // namespace sb::accounting
