#pragma once
// The shared ledger: PostgreSQL through libpq, so several gateway replicas share one ledger
// and one set of budgets. Writes go through group commit (group_commit.h) on a few
// connections; each batch locks the budget-window rows of the teams it touches
// (postgres_batch_backend.h), which makes cap checks atomic across replicas. Deadlocks and lost
// connections are retried; the rerun is safe because every operation is idempotent per id.
// Reads use a separate small pool.
#include <memory>
#include <string>

#include "accounting/batched_ledger_store.h"

namespace sb::accounting {

namespace postgres {
class Pool;
}

class PostgresLedgerStore final : public BatchedLedgerStore {
 public:
  // Connects (libpq DSN or URI) and creates the tables when missing. Throws LedgerError.
  // writers: connections that write (each commits one batch at a time).
  explicit PostgresLedgerStore(const std::string& dsn, const LedgerOptions& options = {},
                               size_t writers = 4);
  ~PostgresLedgerStore() override;

  BudgetStatus status(const std::string& team, Timestamp now) override;
  std::vector<SpendRow> spend(const SpendQuery& query) override;
  std::optional<LedgerEntry> find(const std::string& request_id) override;

 private:
  std::unique_ptr<postgres::Pool> readers_;
};

}  // namespace sb::accounting
