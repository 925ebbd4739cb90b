#include "accounting/sqlite/sqlite_ledger_store.h"

#include "accounting/ledger_sql.h"
#include "accounting/sqlite/sqlite_batch_backend.h"
#include "accounting/sqlite/sqlite_db.h"

namespace sb::accounting {

using sqlite::Statement;

namespace {

std::vector<std::unique_ptr<BatchBackend>> write_connection(const std::filesystem::path& path) {
  std::vector<std::unique_ptr<BatchBackend>> backends;
  backends.push_back(std::make_unique<sqlite::SqliteBatchBackend>(path));
  return backends;
}

}  // namespace

SqliteLedgerStore::SqliteLedgerStore(const std::filesystem::path& path,
                                     const LedgerOptions& options)
    : BatchedLedgerStore(options, write_connection(path)),
      reader_(std::make_unique<sqlite::Database>(path)) {
  reader_->exec("PRAGMA busy_timeout = 10000");
}

SqliteLedgerStore::~SqliteLedgerStore() = default;

BudgetStatus SqliteLedgerStore::status(const std::string& team, Timestamp now) {
  std::lock_guard lock(reader_mutex_);
  Statement select(*reader_,
                   "SELECT window_key, spent_nano, held_nano FROM sb_budget_window"
                   " WHERE team = ?1 AND window_key IN (?2, ?3)");
  const std::string day = day_key(now);
  select.bind_all(team, day, month_key(now));
  BudgetStatus status;
  while (select.step()) {
    const WindowTotals totals{Money{select.int64(1)}, Money{select.int64(2)}};
    (select.text(0) == day ? status.daily : status.monthly) = totals;
  }
  return status;
}

std::vector<SpendRow> SqliteLedgerStore::spend(const SpendQuery& query) {
  std::lock_guard lock(reader_mutex_);
  const std::string text = sql::spend_query(query.group_by, query.team.has_value(), '?');
  Statement select(*reader_, text.c_str());
  if (query.team) {
    select.bind_all(to_unix_ms(query.from), to_unix_ms(query.to), *query.team);
  } else {
    select.bind_all(to_unix_ms(query.from), to_unix_ms(query.to));
  }
  std::vector<SpendRow> rows;
  while (select.step()) rows.push_back(sql::spend_row(select));
  return rows;
}

std::optional<LedgerEntry> SqliteLedgerStore::find(const std::string& request_id) {
  std::lock_guard lock(reader_mutex_);
  const std::string text =
      std::string("SELECT ") + sql::kEntryColumns + " FROM sb_ledger WHERE request_id = ?1";
  Statement select(*reader_, text.c_str());
  if (!select.bind_all(request_id).step()) return std::nullopt;
  return sql::entry_from_row(select);
}

}  // namespace sb::accounting
