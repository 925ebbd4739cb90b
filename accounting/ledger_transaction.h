#pragma once
// Internal to the stores: the few row operations the ledger's rules need, inside one database
// transaction. ledger_operations.cpp writes the rules once on top of it; each store provides
// the SQL. Stores where a transaction is exclusive (SQLite BEGIN IMMEDIATE) may treat the
// locking hints as no-ops; shared stores (PostgreSQL) must lock the rows named.
#include <optional>
#include <string>
#include <vector>

#include "accounting/ledger_types.h"

namespace sb::accounting {

struct WindowPair {
  WindowTotals daily;
  WindowTotals monthly;
};

class LedgerTransaction {
 public:
  virtual ~LedgerTransaction() = default;

  // for_update: lock the row until the transaction ends.
  virtual std::optional<LedgerEntry> entry(const std::string& request_id, bool for_update) = 0;
  // Locks (creating when missing) the team's rows for these day and month windows.
  virtual WindowPair lock_windows(const std::string& team, const std::string& day,
                                  const std::string& month) = 0;
  // False when an entry with this id exists already (nothing written).
  virtual bool insert_entry(const LedgerEntry& entry) = 0;
  // Writes target, state, closed_at, expires_at, usage, cost, savings and flags.
  virtual void update_entry(const LedgerEntry& entry) = 0;
  virtual void add_to_windows(const std::string& team, const std::string& day,
                              const std::string& month, Money held_delta, Money spent_delta) = 0;
  virtual std::vector<std::string> expired_open_ids(Timestamp now) = 0;
};

}  // namespace sb::accounting
