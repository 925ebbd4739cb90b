#pragma once
// The embedded ledger: one SQLite file in WAL mode with synchronous=FULL. Writes go through
// group commit (group_commit.h) on one write connection, whose BEGIN IMMEDIATE transactions
// make every cap check atomic, also against other processes opening the same file. Reads
// (status, reports, find) use their own connection and never wait for the writer.
#include <filesystem>
#include <memory>
#include <mutex>

#include "accounting/batched_ledger_store.h"

namespace sb::accounting {

namespace sqlite {
class Database;
}

class SqliteLedgerStore final : public BatchedLedgerStore {
 public:
  // Creates the file and its tables when missing. Throws LedgerError.
  explicit SqliteLedgerStore(const std::filesystem::path& path, const LedgerOptions& options = {});
  ~SqliteLedgerStore() override;

  BudgetStatus status(const std::string& team, Timestamp now) override;
  std::vector<SpendRow> spend(const SpendQuery& query) override;
  std::optional<LedgerEntry> find(const std::string& request_id) override;

 private:
  std::mutex reader_mutex_;  // guards reader_: one SQLite connection serves one thread at a time
  std::unique_ptr<sqlite::Database> reader_;
};

}  // namespace sb::accounting
