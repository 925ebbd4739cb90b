#pragma once
// LedgerTransaction over one PostgreSQL connection inside BEGIN ... COMMIT (READ COMMITTED),
// made for group commit: start() locks, up front, every ledger row the batch names (sorted by
// request id) and then every budget-window row it touches (sorted by team and window), and
// keeps them in memory; the operations then read and change those copies, and flush() writes
// the window totals back in one statement before COMMIT. All batches of all replicas lock in
// that one order, so they queue behind each other instead of deadlocking, and a booking costs
// about one round trip instead of five.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "accounting/group_commit.h"
#include "accounting/ledger_transaction.h"
#include "accounting/postgres/pg_connection.h"

namespace sb::accounting::postgres {

class PostgresTransaction final : public LedgerTransaction {
 public:
  explicit PostgresTransaction(Connection& conn) : conn_(conn) {}

  // After BEGIN: forgets the previous batch and locks what `hints` name.
  void start(const std::vector<const LockHint*>& hints);
  // Before COMMIT: writes the changed window totals.
  void flush();

  std::optional<LedgerEntry> entry(const std::string& request_id, bool for_update) override;
  WindowPair lock_windows(const std::string& team, const std::string& day,
                          const std::string& month) override;
  bool insert_entry(const LedgerEntry& entry) override;
  void update_entry(const LedgerEntry& entry) override;
  void add_to_windows(const std::string& team, const std::string& day, const std::string& month,
                      Money held_delta, Money spent_delta) override;
  std::vector<std::string> expired_open_ids(Timestamp now) override;

 private:
  using WindowKey = std::pair<std::string, std::string>;  // (team, window key)

  void lock_entries(const std::vector<std::string>& request_ids);
  void lock_window_rows(std::vector<WindowKey> keys);  // loads them into windows_
  WindowTotals& locked_window(const std::string& team, const std::string& key);

  Connection& conn_;
  // Entries locked by this transaction; nullopt: known not to exist when looked up.
  std::map<std::string, std::optional<LedgerEntry>> entries_;
  std::map<WindowKey, WindowTotals> windows_;  // locked by this transaction
  std::set<WindowKey> changed_;
};

// Creates the tables when missing; safe when several processes start at once.
void create_schema(Connection& conn);

}  // namespace sb::accounting::postgres
