#include "accounting/sqlite/sqlite_ledger_store.h"

#include "accounting/ledger_operations.h"
#include "accounting/ledger_sql.h"
#include "accounting/sqlite/group_commit_writer.h"
#include "accounting/sqlite/sqlite_db.h"

namespace sb::accounting {

using sqlite::Statement;

SqliteLedgerStore::SqliteLedgerStore(const std::filesystem::path& path,
                                     const LedgerOptions& options)
    : options_(options),
      writer_(std::make_unique<sqlite::GroupCommitWriter>(path)),
      reader_(std::make_unique<sqlite::Database>(path)) {
  reader_->exec("PRAGMA busy_timeout = 10000");
}

SqliteLedgerStore::~SqliteLedgerStore() = default;

ReserveResult SqliteLedgerStore::reserve(const ReserveRequest& request) {
  return writer_->run(
      [&](LedgerTransaction& txn) { return reserve_in(txn, request, options_.reservation_ttl); });
}

SettleOutcome SqliteLedgerStore::settle(const std::string& request_id, const Charge& charge,
                                        Timestamp now) {
  return writer_->run(
      [&](LedgerTransaction& txn) { return settle_in(txn, request_id, charge, now); });
}

bool SqliteLedgerStore::record_progress(const std::string& request_id, const Charge& so_far,
                                        Timestamp now) {
  return writer_->run([&](LedgerTransaction& txn) {
    return record_progress_in(txn, request_id, so_far, now, options_.reservation_ttl);
  });
}

bool SqliteLedgerStore::release(const std::string& request_id, Timestamp now) {
  return writer_->run([&](LedgerTransaction& txn) { return release_in(txn, request_id, now); });
}

ReconcileSummary SqliteLedgerStore::reconcile_expired(Timestamp now) {
  return writer_->run([&](LedgerTransaction& txn) {
    ReconcileSummary summary;
    for (const auto& id : txn.expired_open_ids(now)) {
      if (const auto booked = reconcile_one_in(txn, id, now)) {
        ++summary.reconciled;
        summary.booked += *booked;
      }
    }
    return summary;
  });
}

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
