#pragma once
// One PostgreSQL connection as a group-commit backend: BEGIN, lock what the batch names
// (PostgresTransaction::start), run it, write the window totals back, COMMIT. A broken
// connection is replaced at the next batch.
#include <memory>
#include <string>

#include "accounting/group_commit.h"
#include "accounting/postgres/pg_connection.h"
#include "accounting/postgres/postgres_transaction.h"

namespace sb::accounting::postgres {

class PostgresBatchBackend final : public BatchBackend {
 public:
  explicit PostgresBatchBackend(std::string dsn);  // connects; throws PgError

  void begin(const std::vector<const LockHint*>& hints) override;
  LedgerTransaction& transaction() override { return *transaction_; }
  void commit() override;
  void rollback() noexcept override;
  bool retryable(std::exception_ptr error) const override;

 private:
  void connect();

  std::string dsn_;
  std::unique_ptr<Connection> conn_;
  std::unique_ptr<PostgresTransaction> transaction_;
};

}  // namespace sb::accounting::postgres
