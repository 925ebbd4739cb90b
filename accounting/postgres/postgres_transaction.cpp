#include "accounting/postgres/postgres_transaction.h"

#include "accounting/ledger_sql.h"

namespace sb::accounting::postgres {

namespace {

// Any constant: serializes schema creation between processes starting together.
constexpr int64_t kSchemaLockKey = 0x5342'4c45'4447;  // "SBLEDG"

const std::string kSelectEntry =
    std::string("SELECT ") + sql::kEntryColumns + " FROM sb_ledger WHERE request_id = $1";

std::optional<int64_t> optional_ms(const std::optional<Timestamp>& t) {
  return t ? std::optional<int64_t>(to_unix_ms(*t)) : std::nullopt;
}

}  // namespace

void create_schema(Connection& conn) {
  conn.exec("BEGIN");
  try {
    conn.query("SELECT pg_advisory_xact_lock($1)", kSchemaLockKey);
    conn.exec(
        "CREATE TABLE IF NOT EXISTS sb_ledger ("
        " request_id TEXT PRIMARY KEY, team TEXT NOT NULL, key_id TEXT NOT NULL,"
        " model TEXT NOT NULL, target TEXT NOT NULL, state INTEGER NOT NULL,"
        " created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, closed_ms BIGINT,"
        " day TEXT NOT NULL, month TEXT NOT NULL, hold_nano BIGINT NOT NULL,"
        " input_estimate_nano BIGINT NOT NULL, prompt_tokens BIGINT NOT NULL,"
        " completion_tokens BIGINT NOT NULL, cached_prompt_tokens BIGINT NOT NULL,"
        " cost_nano BIGINT NOT NULL, savings_nano BIGINT NOT NULL, flags INTEGER NOT NULL)");
    conn.exec("CREATE INDEX IF NOT EXISTS sb_ledger_open ON sb_ledger (state, expires_ms)");
    conn.exec("CREATE INDEX IF NOT EXISTS sb_ledger_created ON sb_ledger (created_ms)");
    conn.exec(
        "CREATE TABLE IF NOT EXISTS sb_budget_window ("
        " team TEXT NOT NULL, window_key TEXT NOT NULL, spent_nano BIGINT NOT NULL,"
        " held_nano BIGINT NOT NULL, PRIMARY KEY (team, window_key))");
    conn.exec("COMMIT");
  } catch (...) {
    conn.rollback_quietly();
    throw;
  }
}

std::optional<LedgerEntry> PostgresTransaction::entry(const std::string& request_id,
                                                      bool for_update) {
  const Result result =
      conn_.query(for_update ? kSelectEntry + " FOR UPDATE" : kSelectEntry, request_id);
  if (result.rows() == 0) return std::nullopt;
  return sql::entry_from_row(result.row(0));
}

WindowPair PostgresTransaction::lock_windows(const std::string& team, const std::string& day,
                                             const std::string& month) {
  constexpr std::string_view kLock =
      "SELECT window_key, spent_nano, held_nano FROM sb_budget_window"
      " WHERE team = $1 AND window_key IN ($2, $3) ORDER BY window_key FOR UPDATE";
  Result locked = conn_.query(kLock, team, day, month);
  if (locked.rows() < 2) {
    // First booking of the window: create its rows (month "2025-01" sorts before day
    // "2025-01-31", the order every transaction locks them in), then lock them.
    conn_.query("INSERT INTO sb_budget_window (team, window_key, spent_nano, held_nano)"
                " VALUES ($1, $2, 0, 0), ($1, $3, 0, 0) ON CONFLICT DO NOTHING",
                team, month, day);
    locked = conn_.query(kLock, team, day, month);
  }
  WindowPair pair;
  for (int i = 0; i < locked.rows(); ++i) {
    const auto row = locked.row(i);
    const WindowTotals totals{Money{row.int64(1)}, Money{row.int64(2)}};
    (row.text(0) == day ? pair.daily : pair.monthly) = totals;
  }
  return pair;
}

bool PostgresTransaction::insert_entry(const LedgerEntry& e) {
  const std::string sql =
      std::string("INSERT INTO sb_ledger (") + sql::kEntryColumns +
      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
      " $19) ON CONFLICT (request_id) DO NOTHING";
  return conn_
             .query(sql, e.request_id, e.team, e.key_id, e.model, e.target,
                    static_cast<int>(e.state), to_unix_ms(e.created_at), to_unix_ms(e.expires_at),
                    optional_ms(e.closed_at), e.day, e.month, e.hold.nanousd,
                    e.input_estimate.nanousd, e.usage.prompt_tokens, e.usage.completion_tokens,
                    e.usage.cached_prompt_tokens, e.cost.nanousd, e.savings.nanousd, e.flags)
             .affected() > 0;
}

void PostgresTransaction::update_entry(const LedgerEntry& e) {
  conn_.query("UPDATE sb_ledger SET target = $2, state = $3, closed_ms = $4, expires_ms = $5,"
              " prompt_tokens = $6, completion_tokens = $7, cached_prompt_tokens = $8,"
              " cost_nano = $9, savings_nano = $10, flags = $11 WHERE request_id = $1",
              e.request_id, e.target, static_cast<int>(e.state), optional_ms(e.closed_at),
              to_unix_ms(e.expires_at), e.usage.prompt_tokens, e.usage.completion_tokens,
              e.usage.cached_prompt_tokens, e.cost.nanousd, e.savings.nanousd, e.flags);
}

void PostgresTransaction::add_to_windows(const std::string& team, const std::string& day,
                                         const std::string& month, Money held_delta,
                                         Money spent_delta) {
  conn_.query("INSERT INTO sb_budget_window AS w (team, window_key, held_nano, spent_nano)"
              " VALUES ($1, $2, $4, $5), ($1, $3, $4, $5) ON CONFLICT (team, window_key)"
              " DO UPDATE SET held_nano = w.held_nano + EXCLUDED.held_nano,"
              " spent_nano = w.spent_nano + EXCLUDED.spent_nano",
              team, month, day, held_delta.nanousd, spent_delta.nanousd);
}

std::vector<std::string> PostgresTransaction::expired_open_ids(Timestamp now) {
  const Result result = conn_.query(
      "SELECT request_id FROM sb_ledger WHERE state = 0 AND expires_ms <= $1 ORDER BY expires_ms",
      to_unix_ms(now));
  std::vector<std::string> ids;
  for (int i = 0; i < result.rows(); ++i) ids.push_back(result.row(i).text(0));
  return ids;
}

}  // namespace sb::accounting::postgres
