#include "accounting/postgres/postgres_ledger_store.h"

#include "accounting/ledger_operations.h"
#include "accounting/ledger_sql.h"
#include "accounting/postgres/pg_connection.h"
#include "accounting/postgres/postgres_transaction.h"

namespace sb::accounting {

using postgres::PgError;
using postgres::PostgresTransaction;

namespace {
constexpr int kMaxAttempts = 8;
}  // namespace

PostgresLedgerStore::PostgresLedgerStore(const std::string& dsn, const LedgerOptions& options,
                                         size_t max_connections)
    : options_(options), pool_(std::make_unique<postgres::Pool>(dsn, max_connections)) {
  auto conn = pool_->acquire();
  postgres::create_schema(*conn);
}

PostgresLedgerStore::~PostgresLedgerStore() = default;

template <typename Op>
auto PostgresLedgerStore::in_transaction(Op&& op) {
  for (int attempt = 1;; ++attempt) {
    auto conn = pool_->acquire();
    try {
      conn->exec("BEGIN");
      PostgresTransaction txn(*conn);
      auto result = op(txn);
      conn->exec("COMMIT");
      return result;
    } catch (const PgError& e) {
      conn->rollback_quietly();
      if (!e.retryable() || attempt == kMaxAttempts) throw;
    } catch (...) {
      conn->rollback_quietly();
      throw;
    }
  }
}

ReserveResult PostgresLedgerStore::reserve(const ReserveRequest& request) {
  return in_transaction(
      [&](LedgerTransaction& txn) { return reserve_in(txn, request, options_.reservation_ttl); });
}

SettleOutcome PostgresLedgerStore::settle(const std::string& request_id, const Charge& charge,
                                          Timestamp now) {
  return in_transaction(
      [&](LedgerTransaction& txn) { return settle_in(txn, request_id, charge, now); });
}

bool PostgresLedgerStore::record_progress(const std::string& request_id, const Charge& so_far,
                                          Timestamp now) {
  return in_transaction([&](LedgerTransaction& txn) {
    return record_progress_in(txn, request_id, so_far, now, options_.reservation_ttl);
  });
}

bool PostgresLedgerStore::release(const std::string& request_id, Timestamp now) {
  return in_transaction([&](LedgerTransaction& txn) { return release_in(txn, request_id, now); });
}

ReconcileSummary PostgresLedgerStore::reconcile_expired(Timestamp now) {
  const auto ids =
      in_transaction([&](LedgerTransaction& txn) { return txn.expired_open_ids(now); });
  ReconcileSummary summary;
  for (const auto& id : ids) {  // one transaction each: a replica may be settling the same ids
    const auto booked =
        in_transaction([&](LedgerTransaction& txn) { return reconcile_one_in(txn, id, now); });
    if (booked) {
      ++summary.reconciled;
      summary.booked += *booked;
    }
  }
  return summary;
}

BudgetStatus PostgresLedgerStore::status(const std::string& team, Timestamp now) {
  auto conn = pool_->acquire();
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
  auto conn = pool_->acquire();
  const std::string text = sql::spend_query(query.group_by, query.team.has_value(), '$');
  const auto result = query.team
                          ? conn->query(text, to_unix_ms(query.from), to_unix_ms(query.to), *query.team)
                          : conn->query(text, to_unix_ms(query.from), to_unix_ms(query.to));
  std::vector<SpendRow> rows;
  for (int i = 0; i < result.rows(); ++i) rows.push_back(sql::spend_row(result.row(i)));
  return rows;
}

std::optional<LedgerEntry> PostgresLedgerStore::find(const std::string& request_id) {
  auto conn = pool_->acquire();
  const auto result = conn->query(
      std::string("SELECT ") + sql::kEntryColumns + " FROM sb_ledger WHERE request_id = $1",
      request_id);
  if (result.rows() == 0) return std::nullopt;
  return sql::entry_from_row(result.row(0));
}

}  // namespace sb::accounting
