#pragma once
// The shared ledger: PostgreSQL through libpq, so several gateway replicas share one ledger
// and one set of budgets. Each operation is one transaction on a pooled connection; cap checks
// hold row locks on the team's windows (postgres_transaction.h). Deadlocks and lost
// connections are retried; the rerun is safe because every operation is idempotent per id.
#include <memory>
#include <string>

#include "accounting/ledger_store.h"

namespace sb::accounting {

namespace postgres {
class Pool;
}

class PostgresLedgerStore final : public LedgerStore {
 public:
  // Connects (libpq DSN or URI), creates the tables when missing. Throws LedgerError.
  PostgresLedgerStore(const std::string& dsn, const LedgerOptions& options = {},
                      size_t max_connections = 8);
  ~PostgresLedgerStore() override;

  ReserveResult reserve(const ReserveRequest& request) override;
  SettleOutcome settle(const std::string& request_id, const Charge& charge, Timestamp now) override;
  bool record_progress(const std::string& request_id, const Charge& so_far, Timestamp now) override;
  bool release(const std::string& request_id, Timestamp now) override;
  ReconcileSummary reconcile_expired(Timestamp now) override;
  BudgetStatus status(const std::string& team, Timestamp now) override;
  std::vector<SpendRow> spend(const SpendQuery& query) override;
  std::optional<LedgerEntry> find(const std::string& request_id) override;

 private:
  template <typename Op>
  auto in_transaction(Op&& op);

  LedgerOptions options_;
  std::unique_ptr<postgres::Pool> pool_;
};

}  // namespace sb::accounting
