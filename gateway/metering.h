#pragma once
// Budgets, rate limits and the spend ledger around each request (docs/accounting.md):
//   admit()  before dispatch: the team's rate limits (429 rate_limit_exceeded, Retry-After,
//            x-ratelimit-*), then a budget reservation for the dearest target the decision may
//            fall back to (429 budget_exceeded with the reset time); the request is not sent
//            when either refuses.
//   Booking  the admitted request's reservation: settled with the real usage once the answer
//            is complete, with what was generated when a stream is cut or the client leaves
//            (estimated when the provider reported no usage), released when nothing was
//            billed. A Booking dropped unsettled releases its reservation.
// Reservations a dead process left open are reconciled at startup and then periodically.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "accounting/ledger_store.h"
#include "accounting/pricing.h"
#include "accounting/rate_limiter.h"
#include "core/api_error.h"
#include "core/chat.h"
#include "core/config/config.h"
#include "policies/route_decision.h"

namespace sb::gateway {

class Metering;

class Booking {
  friend class Metering;  // renews the leases of open bookings

 public:
  // Made by Metering::admit once the reservation is held.
  Booking(Metering& metering, std::string request_id, const config::TeamConfig& team,
          std::string key_id, const policies::RouteDecision& decision, int64_t expected_tokens);
  ~Booking();  // releases the reservation when it was neither settled nor released
  Booking(const Booking&) = delete;
  Booking& operator=(const Booking&) = delete;

  const std::string& request_id() const { return request_id_; }
  // A streamed chunk was produced for the client (reached it or not: it was generated):
  // counted for the estimate of a cut answer; every few seconds the progress is recorded,
  // which also keeps the reservation's lease alive.
  void add_generated(const std::string& target, const ChatChunk& chunk);
  // Books the answer. reported: the provider's usage (nullopt: estimate what was generated).
  // partial: the answer was cut (client gone, upstream failed mid-stream). Never throws: a
  // booking that fails stays reserved and is reconciled later.
  void settle(const std::string& target, const std::optional<Usage>& reported, bool partial);
  void settle(const std::string& target, const ChatResponse& response);
  void release() noexcept;  // nothing was billed

 private:
  // Records the progress so far, renewing the lease of a call still under way (a long
  // non-streamed answer, a retry chain) so it is never reconciled while it runs.
  void renew_lease();
  accounting::Charge charge_for(const std::string& target, const std::optional<Usage>& reported,
                                uint32_t flags) const;  // needs mutex_

  Metering& metering_;
  const std::string request_id_;
  const config::TeamConfig& team_;
  const std::string key_id_;
  const config::RouteConfig* route_;  // the route the decision took; nullptr for a concrete model
  std::vector<accounting::TargetTokens> targets_;  // the decision's targets and token estimates
  const int64_t expected_tokens_;                  // what the rate limiter counted
  std::mutex mutex_;
  bool closed_ = false;
  std::string generated_;  // text and tool-call arguments streamed so far
  std::string answering_;  // the target streaming now; empty before the first chunk
  std::chrono::steady_clock::time_point last_progress_;
};

class Metering {
 public:
  using Clock = std::function<accounting::Timestamp()>;

  // config must outlive it. Reconciles what a dead process left open, then keeps doing so in
  // the background. Reservations live request_timeout_ms + kLeaseMargin without progress.
  Metering(const config::Config& config, std::unique_ptr<accounting::LedgerStore> ledger,
           Clock clock = system_clock());
  ~Metering();
  Metering(const Metering&) = delete;
  Metering& operator=(const Metering&) = delete;

  static Clock system_clock();
  static accounting::LedgerOptions ledger_options(const config::Config& config);
  static constexpr std::chrono::seconds kLeaseMargin{5};

  // What the team may still spend before its tightest cap; nullopt when it has no cap.
  // Throws ApiError 503 ledger_unavailable when the ledger cannot be read.
  std::optional<double> budget_headroom_usd(const config::TeamConfig& team);

  // Rate limits, then the reservation; throws ApiError 429 when either refuses (and 503 when
  // the ledger cannot be reached). Sets the x-ratelimit-* headers on `res` either way.
  std::shared_ptr<Booking> admit(const config::TeamConfig& team, const std::string& key_id,
                                 const policies::RouteDecision& decision, httplib::Response& res);

  // The 429 budget_exceeded, reset time included, for the policy's verdict that no target
  // fits what the team has left. Throws ApiError 503 ledger_unavailable like budget_headroom_usd.
  ApiError budget_error(const config::TeamConfig& team);

  accounting::LedgerStore& ledger() { return *ledger_; }
  const accounting::PriceTable& prices() const { return prices_; }
  accounting::Timestamp now() const { return clock_(); }

 private:
  friend class Booking;
  std::vector<accounting::RateLimitSubject> subjects(const config::TeamConfig& team,
                                                     const std::string& key_id) const;
  void reconcile_loop(std::chrono::milliseconds every);
  // The ledger's totals for the team; ApiError 503 ledger_unavailable when it cannot be read.
  accounting::BudgetStatus budget_status(const config::TeamConfig& team);
  // requested: what this request may cost, when known.
  ApiError budget_error(const config::TeamConfig& team, accounting::BudgetWindow window,
                        accounting::Money cap, accounting::Money committed,
                        std::optional<accounting::Money> requested) const;

  const config::Config& config_;
  std::unique_ptr<accounting::LedgerStore> ledger_;
  Clock clock_;
  accounting::PriceTable prices_;
  accounting::RateLimiter limiter_;
  std::mutex open_mutex_;       // guards open_; taken before a Booking's own mutex
  std::set<Booking*> open_;     // bookings alive in this process: their leases are renewed
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread reconciler_;  // last: starts once everything it uses exists
};

}  // namespace sb::gateway
