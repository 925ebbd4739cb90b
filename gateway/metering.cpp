#include "gateway/metering.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "accounting/charge_builder.h"
#include "policies/decision/cost_estimate.h"

namespace sb::gateway {

namespace {

using accounting::Money;
using accounting::Timestamp;

constexpr std::chrono::seconds kProgressEvery{2};

// What the client is told when the ledger fails: not the driver's text, which may name the
// database's host, port or user.
ApiError ledger_unavailable() {
  return ApiError(503, "service_unavailable", "ledger_unavailable",
                  "The spend ledger cannot be reached; try again shortly.");
}

std::string usd(Money m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.2f", m.usd());
  return buf;
}

}  // namespace

// ---- Booking ----

Booking::Booking(Metering& metering, std::string request_id, const config::TeamConfig& team,
                 std::string key_id, const policies::RouteDecision& decision,
                 int64_t expected_tokens)
    : metering_(metering),
      request_id_(std::move(request_id)),
      team_(team),
      key_id_(std::move(key_id)),
      route_(decision.via_route() ? metering.config_.find_route(decision.route) : nullptr),
      expected_tokens_(expected_tokens),
      last_progress_(std::chrono::steady_clock::now()) {
  for (const auto& t : decision.targets) {
    targets_.push_back({t.model, t.cost.input_tokens, t.cost.max_output_tokens});
  }
  std::lock_guard lock(metering_.open_mutex_);
  metering_.open_.insert(this);
}

Booking::~Booking() {
  release();
  std::lock_guard lock(metering_.open_mutex_);
  metering_.open_.erase(this);
}

void Booking::renew_lease() {
  std::lock_guard lock(mutex_);
  if (closed_ || targets_.empty()) return;
  const std::string& target = answering_.empty() ? targets_.front().model : answering_;
  try {
    metering_.ledger_->record_progress(request_id_, charge_for(target, std::nullopt, accounting::kChargePartial),
                                       metering_.now());
  } catch (const std::exception&) {
    // The next round tries again.
  }
}

accounting::Charge Booking::charge_for(const std::string& target,
                                       const std::optional<Usage>& reported,
                                       uint32_t flags) const {
  const auto answered = std::find_if(targets_.begin(), targets_.end(),
                                     [&](const auto& t) { return t.model == target; });
  Usage estimate;
  estimate.prompt_tokens = answered != targets_.end() ? answered->input_tokens
                           : targets_.empty()         ? 0
                                                      : targets_.front().input_tokens;
  estimate.completion_tokens = generated_.empty() ? 0 : policies::estimate_text_tokens(generated_);
  return accounting::build_charge(metering_.prices_, {target, reported, estimate, route_, flags});
}

void Booking::add_generated(const std::string& target, const ChatChunk& chunk) {
  std::lock_guard lock(mutex_);
  answering_ = target;
  generated_ += chunk.content;
  for (const auto& call : chunk.tool_calls) generated_ += call.arguments;
  const auto now = std::chrono::steady_clock::now();
  if (closed_ || now - last_progress_ < kProgressEvery) return;
  last_progress_ = now;
  try {
    metering_.ledger_->record_progress(
        request_id_, charge_for(target, std::nullopt, accounting::kChargePartial), metering_.now());
  } catch (const std::exception&) {
    // Progress only improves a reconciliation; the stream goes on without it.
  }
}

void Booking::settle(const std::string& target, const std::optional<Usage>& reported, bool partial) {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  const accounting::Charge charge =
      charge_for(target, reported, partial ? accounting::kChargePartial : 0u);
  metering_.limiter_.adjust_tokens(metering_.subjects(team_, key_id_),
                                   charge.usage.total() - expected_tokens_, metering_.now());
  try {
    metering_.ledger_->settle(request_id_, charge, metering_.now());
  } catch (const std::exception&) {
    // The reservation stays open; reconcile_expired books it once its lease runs out.
  }
}

void Booking::settle(const std::string& target, const ChatResponse& response) {
  {
    std::lock_guard lock(mutex_);
    for (const auto& choice : response.choices) {
      generated_ += choice.message.text();
      for (const auto& call : choice.message.tool_calls) generated_ += call.arguments;
    }
  }
  settle(target, response.usage, false);
}

void Booking::release() noexcept {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  try {
    metering_.limiter_.adjust_tokens(metering_.subjects(team_, key_id_), -expected_tokens_,
                                     metering_.now());
    metering_.ledger_->release(request_id_, metering_.now());
  } catch (const std::exception&) {
    // Left open, the reservation is reconciled at its input estimate once its lease runs out.
  }
}

// ---- Metering ----

Metering::Clock Metering::system_clock() {
  return [] { return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()); };
}

accounting::LedgerOptions Metering::ledger_options(const config::Config& config) {
  accounting::LedgerOptions options;
  options.reservation_ttl = std::chrono::milliseconds(config.server.request_timeout_ms) + kLeaseMargin;
  return options;
}

Metering::Metering(const config::Config& config, std::unique_ptr<accounting::LedgerStore> ledger,
                   Clock clock)
    : config_(config), ledger_(std::move(ledger)), clock_(std::move(clock)), prices_(config.prices) {
  ledger_->reconcile_expired(clock_());
  const auto ttl = ledger_options(config).reservation_ttl;
  const auto every = std::clamp<std::chrono::milliseconds>(ttl / 2, std::chrono::seconds(1),
                                                           std::chrono::seconds(60));
  reconciler_ = std::thread([this, every] { reconcile_loop(every); });
}

Metering::~Metering() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  reconciler_.join();
}

void Metering::reconcile_loop(std::chrono::milliseconds every) {
  std::unique_lock lock(stop_mutex_);
  while (!stop_cv_.wait_for(lock, every, [this] { return stopping_; })) {
    lock.unlock();
    {
      std::lock_guard open(open_mutex_);  // keeps each booking alive while it is renewed
      for (Booking* booking : open_) booking->renew_lease();
    }
    try {
      ledger_->reconcile_expired(clock_());
    } catch (const std::exception&) {
      // The ledger is unreachable for now; the next round tries again.
    }
    lock.lock();
  }
}

std::vector<accounting::RateLimitSubject> Metering::subjects(const config::TeamConfig& team,
                                                             const std::string&) const {
  // The configuration sets limits per team; the limiter would take per-key subjects too.
  return {{"team:" + team.name, team.rate_limit}};
}

accounting::BudgetStatus Metering::budget_status(const config::TeamConfig& team) {
  try {
    return ledger_->status(team.name, clock_());
  } catch (const std::exception&) {
    throw ledger_unavailable();
  }
}

std::optional<double> Metering::budget_headroom_usd(const config::TeamConfig& team) {
  const accounting::BudgetCaps caps = accounting::BudgetCaps::from_config(team.budget);
  if (!caps.daily && !caps.monthly) return std::nullopt;
  const accounting::BudgetStatus status = budget_status(team);
  std::optional<Money> headroom;
  const auto tighten = [&](const std::optional<Money>& cap, const accounting::WindowTotals& used) {
    if (!cap) return;
    const Money left = std::max(Money{}, *cap - used.committed());
    headroom = headroom ? std::min(*headroom, left) : left;
  };
  tighten(caps.daily, status.daily);
  tighten(caps.monthly, status.monthly);
  return headroom->usd();
}

ApiError Metering::budget_error(const config::TeamConfig& team, accounting::BudgetWindow window,
                                Money cap, Money committed, std::optional<Money> requested) const {
  const Timestamp reset = accounting::window_reset(window, clock_());
  const std::string cost = requested ? "; this request may cost up to " + usd(*requested)
                                     : "; no target fits what is left";
  ApiError error(429, "budget_exceeded", "budget_exceeded",
                 "Team '" + team.name + "' has reached its " + to_string(window) + " budget of " +
                     usd(cap) + " (" + usd(committed) + " spent or reserved" + cost +
                     "). The budget resets at " + accounting::format_iso8601(reset) + ".");
  error.set_retry_after_ms(std::max<int64_t>(0, (reset - clock_()).count()));
  return error;
}

ApiError Metering::budget_error(const config::TeamConfig& team) {
  const accounting::BudgetCaps caps = accounting::BudgetCaps::from_config(team.budget);
  const accounting::BudgetStatus status = budget_status(team);
  const auto left = [](const std::optional<Money>& cap, const accounting::WindowTotals& used) {
    return cap ? *cap - used.committed() : Money{INT64_MAX};
  };
  // The tighter window refused; on a tie the monthly one (a new day would not help).
  if (caps.monthly && left(caps.monthly, status.monthly) <= left(caps.daily, status.daily)) {
    return budget_error(team, accounting::BudgetWindow::Monthly, *caps.monthly,
                        status.monthly.committed(), std::nullopt);
  }
  return budget_error(team, accounting::BudgetWindow::Daily, caps.daily.value_or(Money{}),
                      status.daily.committed(), std::nullopt);
}

std::shared_ptr<Booking> Metering::admit(const config::TeamConfig& team, const std::string& key_id,
                                         const policies::RouteDecision& decision,
                                         httplib::Response& res) {
  const Timestamp now = clock_();
  const auto& first = decision.targets.front().cost;
  const int64_t expected_tokens = first.input_tokens + first.max_output_tokens;
  const auto limited = subjects(team, key_id);
  const accounting::RateLimitVerdict verdict = limiter_.acquire(limited, expected_tokens, now);
  for (const auto& [name, value] : verdict.headers) res.set_header(name, value);
  if (!verdict.allowed) {
    ApiError error(429, "rate_limit_error", "rate_limit_exceeded",
                   "Rate limit reached for team '" + team.name + "' (" +
                       (team.rate_limit.rpm ? std::to_string(*team.rate_limit.rpm) + " requests" : std::string("-")) +
                       " / " +
                       (team.rate_limit.tpm ? std::to_string(*team.rate_limit.tpm) + " tokens" : std::string("-")) +
                       " per minute). Try again in " + std::to_string(verdict.retry_after_seconds()) + " s.");
    error.set_retry_after_ms(verdict.retry_after.count());
    throw error;
  }

  std::vector<accounting::TargetTokens> candidates;
  for (const auto& t : decision.targets) {
    candidates.push_back({t.model, t.cost.input_tokens, t.cost.max_output_tokens});
  }
  const accounting::HoldEstimate hold = prices_.hold_for(candidates);
  accounting::ReserveRequest request;
  request.request_id = decision.id;
  request.team = team.name;
  request.key_id = key_id;
  request.model = decision.requested_model;
  request.input_estimate = hold.input;
  request.output_max = hold.output_max;
  request.caps = accounting::BudgetCaps::from_config(team.budget);
  request.now = now;
  accounting::ReserveResult reserved;
  try {
    reserved = ledger_->reserve(request);
  } catch (const std::exception&) {
    limiter_.adjust_tokens(limited, -expected_tokens, now);
    throw ledger_unavailable();
  }
  if (const auto* refused = std::get_if<accounting::BudgetExceeded>(&reserved)) {
    limiter_.adjust_tokens(limited, -expected_tokens, now);
    throw budget_error(team, refused->window, refused->cap, refused->committed, refused->requested);
  }
  return std::make_shared<Booking>(*this, decision.id, team, key_id, decision, expected_tokens);
}

}  // namespace sb::gateway
