#include "accounting/ledger_store.h"
#include "accounting/postgres/postgres_ledger_store.h"
#include "accounting/sqlite/sqlite_ledger_store.h"

namespace sb::accounting {

std::unique_ptr<LedgerStore> open_ledger(const config::LedgerConfig& config,
                                         const LedgerOptions& options) {
  switch (config.driver) {
    case config::LedgerDriver::Sqlite:
      return std::make_unique<SqliteLedgerStore>(config.path, options);
    case config::LedgerDriver::Postgres:
      if (config.dsn.empty()) throw LedgerError("ledger: driver postgres needs ledger.dsn");
      return std::make_unique<PostgresLedgerStore>(config.dsn, options);
  }
  throw LedgerError("ledger: unknown driver");
}

}  // namespace sb::accounting
