#pragma once
// LedgerStore: where budgets are held and spend is booked, exactly once per request id.
//
// The life of a request:
//   reserve  before the call: holds input estimate + max output cost against the team's daily
//            and monthly caps, atomically (no two concurrent reservations can both squeeze into
//            the last dollar, also across processes sharing the store). A reservation that does
//            not fit is refused (BudgetExceeded) and the request must not be sent.
//   record_progress (optional, while streaming): the usage so far; also renews the lease.
//   settle   after the call: books the real cost and drops the hold. Idempotent per id.
//   release  when nothing was billed (the call failed before any provider accepted it).
// A reservation whose process died is neither settled nor released: its lease (expires_at =
// reserve or last progress + reservation_ttl) runs out and reconcile_expired books it as
// max(progress recorded, input estimate), flagged reconciled + estimated. Run it on startup
// (and periodically). Costs count in the windows of the day and month the reservation was made.
//
// Every method is safe to call from many threads; every write is durable when it returns.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accounting/ledger_types.h"
#include "core/config/config.h"

namespace sb::accounting {

struct LedgerOptions {
  // How long a reservation outlives its last sign of life. Longer than the longest request
  // that records no progress (server.request_timeout_ms), so that only the dead expire.
  std::chrono::milliseconds reservation_ttl = std::chrono::minutes(15);
};

class LedgerStore {
 public:
  virtual ~LedgerStore() = default;

  virtual ReserveResult reserve(const ReserveRequest& request) = 0;
  virtual SettleOutcome settle(const std::string& request_id, const Charge& charge,
                               Timestamp now) = 0;
  // False when the id is not an open reservation.
  virtual bool record_progress(const std::string& request_id, const Charge& so_far,
                               Timestamp now) = 0;
  // False when the id is not an open reservation (already settled, released or unknown).
  virtual bool release(const std::string& request_id, Timestamp now) = 0;
  virtual ReconcileSummary reconcile_expired(Timestamp now) = 0;

  // Spent and held in the team's current day and month.
  virtual BudgetStatus status(const std::string& team, Timestamp now) = 0;
  virtual std::vector<SpendRow> spend(const SpendQuery& query) = 0;
  virtual std::optional<LedgerEntry> find(const std::string& request_id) = 0;
};

// The store the configuration names: SQLite at ledger.path, or PostgreSQL at ledger.dsn.
// Throws LedgerError when it cannot be opened.
std::unique_ptr<LedgerStore> open_ledger(const config::LedgerConfig& config,
                                         const LedgerOptions& options = {});

}  // namespace sb::accounting
