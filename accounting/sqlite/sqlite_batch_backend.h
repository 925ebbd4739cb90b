#pragma once
// The SQLite write connection as a group-commit backend: WAL, synchronous=FULL, and
// BEGIN IMMEDIATE transactions, whose single database-wide write lock makes every cap check
// atomic, also against other processes writing the same file (so no lock hints are needed).
#include <filesystem>

#include "accounting/group_commit.h"
#include "accounting/sqlite/sqlite_db.h"
#include "accounting/sqlite/sqlite_transaction.h"

namespace sb::accounting::sqlite {

class SqliteBatchBackend final : public BatchBackend {
 public:
  // Opens the file (creating it and the schema when missing). Throws LedgerError.
  explicit SqliteBatchBackend(const std::filesystem::path& path);

  void begin(const std::vector<const LockHint*>& hints) override;
  LedgerTransaction& transaction() override { return transaction_; }
  void commit() override;
  void rollback() noexcept override;
  bool retryable(std::exception_ptr error) const override;

 private:
  Database db_;
  SqliteTransaction transaction_;
};

}  // namespace sb::accounting::sqlite
