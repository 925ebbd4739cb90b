#include "accounting/postgres/postgres_ledger_store.h"

#include <algorithm>

#include "accounting/ledger_sql.h"
#include "accounting/postgres/pg_connection.h"
#include "accounting/postgres/postgres_batch_backend.h"

namespace sb::accounting {

namespace {

constexpr size_t kReaders = 4;

// The schema first (the writers prepare nothing, but they must find the tables), then one
// backend per writer connection.
std::vector<std::unique_ptr<BatchBackend>> writer_connections(const std::string& dsn,
                                                              size_t writers) {
  {
    postgres::Connection conn(dsn);
    postgres::create_schema(conn);
  }
  std::vector<std::unique_ptr<BatchBackend>> backends;
  for (size_t i = 0; i < std::max<size_t>(writers, 1); ++i) {
    backends.push_back(std::make_unique<postgres::PostgresBatchBackend>(dsn));
  }
  return backends;
}

}  // namespace

PostgresLedgerStore::PostgresLedgerStore(const std::string& dsn, const LedgerOptions& options,
                                         size_t writers)
    : BatchedLedgerStore(options, writer_connections(dsn, writers)),
      readers_(std::make_unique<postgres::Pool>(dsn, kReaders)) {}

PostgresLedgerStore::~PostgresLedgerStore() = default;

BudgetStatus PostgresLedgerStore::status(const std::string& team, Timestamp now) {
  auto conn = readers_->acquire();
  const std::string day = day_key(now);
  const auto result = conn->query(
      "SELECT window_key, spent_nano, held_nano FROM sb_budget_window"
      " WHERE team = $1 AND window_key IN ($2, $3)",
      team, day, month_key(now));
  BudgetStatus status;
  for (int i = 0; i < result.rows(); ++i) {
    const auto row = result.row(i);
    const WindowTotals totals{Money{row.int64(1)}, Money{row.int64(2)}};
    (row.text(0) == day ? status.daily : status.monthly) = totals;
  }
  return status;
}

std::vector<SpendRow> PostgresLedgerStore::spend(const SpendQuery& query) {
  auto conn = readers_->acquire();
  const std::string text = sql::spend_query(query.group_by, query.team.has_value(), '$');
  const auto result = query.team
                          ? conn->query(text, to_unix_ms(query.from), to_unix_ms(query.to), *query.team)
                          : conn->query(text, to_unix_ms(query.from), to_unix_ms(query.to));
  std::vector<SpendRow> rows;
  for (int i = 0; i < result.rows(); ++i) rows.push_back(sql::spend_row(result.row(i)));
  return rows;
}

std::optional<LedgerEntry> PostgresLedgerStore::find(const std::string& request_id) {
  auto conn = readers_->acquire();
  const auto result = conn->query(
      std::string("SELECT ") + sql::kEntryColumns + " FROM sb_ledger WHERE request_id = $1",
      request_id);
  if (result.rows() == 0) return std::nullopt;
  return sql::entry_from_row(result.row(0));
}

}  // namespace sb::accounting
