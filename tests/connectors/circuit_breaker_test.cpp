#include "connectors/circuit_breaker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace sb::connectors {
namespace {

using State = CircuitBreaker::State;
using std::chrono::milliseconds;

// A clock the test moves by hand.
struct ManualClock {
  CircuitBreaker::Clock::time_point t{};
  CircuitBreaker::Now now() {
    return [this] { return t; };
  }
};

TEST(CircuitBreaker, OpensAfterConsecutiveFailuresOnly) {
  ManualClock clock;
  CircuitBreaker b({3, milliseconds(1000)}, clock.now());
  b.record_failure();
  b.record_failure();
  b.record_success();  // resets the count
  b.record_failure();
  b.record_failure();
  EXPECT_EQ(b.state(), State::Closed);
  EXPECT_TRUE(b.allow());
  b.record_failure();
  EXPECT_EQ(b.state(), State::Open);
  EXPECT_FALSE(b.allow());
}

TEST(CircuitBreaker, AfterTheCooldownOneProbeDecides) {
  ManualClock clock;
  CircuitBreaker b({1, milliseconds(1000)}, clock.now());
  b.record_failure();
  clock.t += milliseconds(999);
  EXPECT_FALSE(b.allow());
  clock.t += milliseconds(1);
  EXPECT_TRUE(b.allow());   // the probe
  EXPECT_EQ(b.state(), State::HalfOpen);
  EXPECT_FALSE(b.allow());  // nobody else while it is out
  b.record_failure();       // probe failed: open again for a full cooldown
  EXPECT_EQ(b.state(), State::Open);
  clock.t += milliseconds(500);
  EXPECT_FALSE(b.allow());
  clock.t += milliseconds(500);
  EXPECT_TRUE(b.allow());
  b.record_success();
  EXPECT_EQ(b.state(), State::Closed);
  EXPECT_TRUE(b.allow());
  EXPECT_TRUE(b.allow());
}

TEST(CircuitBreaker, AProbeThatNeverReportsIsReplaced) {
  ManualClock clock;
  CircuitBreaker b({1, milliseconds(1000)}, clock.now());
  b.record_failure();
  clock.t += milliseconds(1000);
  EXPECT_TRUE(b.allow());
  clock.t += milliseconds(999);
  EXPECT_FALSE(b.allow());
  clock.t += milliseconds(1);
  EXPECT_TRUE(b.allow());
}

TEST(CircuitBreaker, OnlyOneOfManyConcurrentCallersProbes) {
  ManualClock clock;
  CircuitBreaker b({1, milliseconds(1000)}, clock.now());
  b.record_failure();
  clock.t += milliseconds(1000);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 100; ++j) allowed += b.allow() ? 1 : 0;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 1);
}

TEST(CircuitBreakers, OneBreakerPerTarget) {
  ManualClock clock;
  CircuitBreakers all({1, milliseconds(1000)}, clock.now());
  all.of("p/a").record_failure();
  EXPECT_EQ(all.of("p/a").state(), State::Open);
  EXPECT_EQ(all.of("p/b").state(), State::Closed);
  EXPECT_EQ(&all.of("p/a"), &all.of("p/a"));
}

}  // namespace
}  // namespace sb::connectors
