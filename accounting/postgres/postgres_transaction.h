#pragma once
// LedgerTransaction over one PostgreSQL connection inside BEGIN ... COMMIT (READ COMMITTED).
// Atomicity across replicas comes from row locks: lock_windows takes FOR UPDATE locks on the
// team's day and month rows (in key order, so two transactions never wait on each other in a
// cycle), and entry(.., true) locks the request's row.
#include "accounting/ledger_transaction.h"
#include "accounting/postgres/pg_connection.h"

namespace sb::accounting::postgres {

class PostgresTransaction final : public LedgerTransaction {
 public:
  explicit PostgresTransaction(Connection& conn) : conn_(conn) {}

  std::optional<LedgerEntry> entry(const std::string& request_id, bool for_update) override;
  WindowPair lock_windows(const std::string& team, const std::string& day,
                          const std::string& month) override;
  bool insert_entry(const LedgerEntry& entry) override;
  void update_entry(const LedgerEntry& entry) override;
  void add_to_windows(const std::string& team, const std::string& day, const std::string& month,
                      Money held_delta, Money spent_delta) override;
  std::vector<std::string> expired_open_ids(Timestamp now) override;

 private:
  Connection& conn_;
};

// Creates the tables when missing; safe when several processes start at once.
void create_schema(Connection& conn);

}  // namespace sb::accounting::postgres
