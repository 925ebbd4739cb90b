#pragma once
// LedgerTransaction over one SQLite connection. The transaction around it is BEGIN IMMEDIATE
// (the database's single write lock), so the locking hints need no SQL.
#include "accounting/ledger_transaction.h"
#include "accounting/sqlite/sqlite_db.h"

namespace sb::accounting::sqlite {

class SqliteTransaction final : public LedgerTransaction {
 public:
  explicit SqliteTransaction(Database& db);

  std::optional<LedgerEntry> entry(const std::string& request_id, bool for_update) override;
  WindowPair lock_windows(const std::string& team, const std::string& day,
                          const std::string& month) override;
  bool insert_entry(const LedgerEntry& entry) override;
  void update_entry(const LedgerEntry& entry) override;
  void add_to_windows(const std::string& team, const std::string& day, const std::string& month,
                      Money held_delta, Money spent_delta) override;
  std::vector<std::string> expired_open_ids(Timestamp now) override;

 private:
  WindowTotals window(const std::string& team, const std::string& key);
  void add_to_window(const std::string& team, const std::string& key, Money held, Money spent);

  Database& db_;
  Statement select_entry_;
  Statement select_window_;
  Statement insert_entry_;
  Statement update_entry_;
  Statement upsert_window_;
  Statement select_expired_;
};

// Creates the tables when missing.
void create_schema(Database& db);

}  // namespace sb::accounting::sqlite
