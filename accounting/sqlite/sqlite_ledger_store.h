#pragma once
// The embedded ledger: one SQLite file in WAL mode with synchronous=FULL. Writes go through a
// group-commit writer thread (group_commit_writer.h), whose BEGIN IMMEDIATE transactions make
// every cap check atomic, also against other processes opening the same file. Reads (status,
// reports, find) use their own connection and never wait for the writer.
#include <filesystem>
#include <memory>
#include <mutex>

#include "accounting/ledger_store.h"

namespace sb::accounting {

namespace sqlite {
class Database;
class GroupCommitWriter;
}  // namespace sqlite

class SqliteLedgerStore final : public LedgerStore {
 public:
  // Creates the file and its tables when missing. Throws LedgerError.
  explicit SqliteLedgerStore(const std::filesystem::path& path, const LedgerOptions& options = {});
  ~SqliteLedgerStore() override;

  ReserveResult reserve(const ReserveRequest& request) override;
  SettleOutcome settle(const std::string& request_id, const Charge& charge, Timestamp now) override;
  bool record_progress(const std::string& request_id, const Charge& so_far, Timestamp now) override;
  bool release(const std::string& request_id, Timestamp now) override;
  ReconcileSummary reconcile_expired(Timestamp now) override;
  BudgetStatus status(const std::string& team, Timestamp now) override;
  std::vector<SpendRow> spend(const SpendQuery& query) override;
  std::optional<LedgerEntry> find(const std::string& request_id) override;

 private:
  LedgerOptions options_;
  std::unique_ptr<sqlite::GroupCommitWriter> writer_;
  std::mutex reader_mutex_;  // guards reader_: one SQLite connection serves one thread at a time
  std::unique_ptr<sqlite::Database> reader_;
};

}  // namespace sb::accounting
