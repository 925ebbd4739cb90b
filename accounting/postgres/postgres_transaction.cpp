#include "accounting/postgres/postgres_transaction.h"

#include <algorithm>

#include <nlohmann/json.hpp>

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

void PostgresTransaction::start(const std::vector<const LockHint*>& hints) {
  entries_.clear();
  windows_.clear();
  changed_.clear();
  std::vector<std::string> ids;
  std::vector<WindowKey> keys;
  for (const LockHint* hint : hints) {
    ids.insert(ids.end(), hint->request_ids.begin(), hint->request_ids.end());
    for (const auto& w : hint->windows) {
      keys.emplace_back(w.team, w.day);
      keys.emplace_back(w.team, w.month);
    }
  }
  lock_entries(ids);
  for (const auto& [id, entry] : entries_) {
    if (!entry) continue;
    keys.emplace_back(entry->team, entry->day);
    keys.emplace_back(entry->team, entry->month);
  }
  lock_window_rows(std::move(keys));
}

void PostgresTransaction::lock_entries(const std::vector<std::string>& request_ids) {
  if (request_ids.empty()) return;
  const Result found = conn_.query(
      std::string("SELECT ") + sql::kEntryColumns +
          " FROM sb_ledger WHERE request_id IN (SELECT jsonb_array_elements_text($1::jsonb))"
          " ORDER BY request_id FOR UPDATE",
      nlohmann::json(request_ids).dump());
  for (const auto& id : request_ids) entries_[id] = std::nullopt;
  for (int i = 0; i < found.rows(); ++i) {
    LedgerEntry entry = sql::entry_from_row(found.row(i));
    entries_[entry.request_id] = std::move(entry);
  }
}

void PostgresTransaction::lock_window_rows(std::vector<WindowKey> keys) {
  std::erase_if(keys, [&](const WindowKey& k) { return windows_.contains(k); });
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (keys.empty()) return;
  nlohmann::json wanted = nlohmann::json::array();
  for (const auto& [team, key] : keys) wanted.push_back({{"t", team}, {"k", key}});
  const std::string param = wanted.dump();
  constexpr std::string_view kLock =
      "SELECT w.team, w.window_key, w.spent_nano, w.held_nano FROM sb_budget_window w"
      " JOIN jsonb_to_recordset($1::jsonb) AS x(t text, k text)"
      " ON w.team = x.t AND w.window_key = x.k"
      " ORDER BY w.team, w.window_key FOR UPDATE OF w";
  Result locked = conn_.query(kLock, param);
  if (locked.rows() < static_cast<int>(keys.size())) {
    // First bookings of a window: create its rows (in the same order), then lock them all.
    conn_.query("INSERT INTO sb_budget_window (team, window_key, spent_nano, held_nano)"
                " SELECT x.t, x.k, 0, 0 FROM jsonb_to_recordset($1::jsonb) AS x(t text, k text)"
                " ORDER BY x.t, x.k ON CONFLICT DO NOTHING",
                param);
    locked = conn_.query(kLock, param);
  }
  for (int i = 0; i < locked.rows(); ++i) {
    const auto row = locked.row(i);
    windows_[{row.text(0), row.text(1)}] = WindowTotals{Money{row.int64(2)}, Money{row.int64(3)}};
  }
}

WindowTotals& PostgresTransaction::locked_window(const std::string& team, const std::string& key) {
  const auto it = windows_.find({team, key});
  if (it == windows_.end()) throw LedgerError("postgres: window " + team + "/" + key + " not locked");
  return it->second;
}

void PostgresTransaction::flush() {
  if (changed_.empty()) return;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [team, key] : changed_) {
    const WindowTotals& totals = windows_.at({team, key});
    rows.push_back({{"t", team}, {"k", key}, {"s", totals.spent.nanousd}, {"h", totals.held.nanousd}});
  }
  conn_.query("UPDATE sb_budget_window w SET spent_nano = x.s, held_nano = x.h"
              " FROM jsonb_to_recordset($1::jsonb) AS x(t text, k text, s bigint, h bigint)"
              " WHERE w.team = x.t AND w.window_key = x.k",
              rows.dump());
  changed_.clear();
}

std::optional<LedgerEntry> PostgresTransaction::entry(const std::string& request_id,
                                                      bool for_update) {
  if (const auto it = entries_.find(request_id); it != entries_.end()) return it->second;
  const Result result =
      conn_.query(for_update ? kSelectEntry + " FOR UPDATE" : kSelectEntry, request_id);
  if (result.rows() == 0) return std::nullopt;
  LedgerEntry found = sql::entry_from_row(result.row(0));
  if (for_update) entries_[request_id] = found;
  return found;
}

WindowPair PostgresTransaction::lock_windows(const std::string& team, const std::string& day,
                                             const std::string& month) {
  lock_window_rows({{team, day}, {team, month}});
  return WindowPair{locked_window(team, day), locked_window(team, month)};
}

bool PostgresTransaction::insert_entry(const LedgerEntry& e) {
  const std::string sql =
      std::string("INSERT INTO sb_ledger (") + sql::kEntryColumns +
      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
      " $19) ON CONFLICT (request_id) DO NOTHING";
  const bool inserted =
      conn_
          .query(sql, e.request_id, e.team, e.key_id, e.model, e.target, static_cast<int>(e.state),
                 to_unix_ms(e.created_at), to_unix_ms(e.expires_at), optional_ms(e.closed_at),
                 e.day, e.month, e.hold.nanousd, e.input_estimate.nanousd, e.usage.prompt_tokens,
                 e.usage.completion_tokens, e.usage.cached_prompt_tokens, e.cost.nanousd,
                 e.savings.nanousd, e.flags)
          .affected() > 0;
  if (inserted) {
    entries_[e.request_id] = e;
  } else {
    entries_.erase(e.request_id);  // someone else's: read it afresh
  }
  return inserted;
}

void PostgresTransaction::update_entry(const LedgerEntry& e) {
  conn_.query("UPDATE sb_ledger SET target = $2, state = $3, closed_ms = $4, expires_ms = $5,"
              " prompt_tokens = $6, completion_tokens = $7, cached_prompt_tokens = $8,"
              " cost_nano = $9, savings_nano = $10, flags = $11 WHERE request_id = $1",
              e.request_id, e.target, static_cast<int>(e.state), optional_ms(e.closed_at),
              to_unix_ms(e.expires_at), e.usage.prompt_tokens, e.usage.completion_tokens,
              e.usage.cached_prompt_tokens, e.cost.nanousd, e.savings.nanousd, e.flags);
  entries_[e.request_id] = e;
}

void PostgresTransaction::add_to_windows(const std::string& team, const std::string& day,
                                         const std::string& month, Money held_delta,
                                         Money spent_delta) {
  lock_windows(team, day, month);
  for (const auto& key : {day, month}) {
    WindowTotals& totals = locked_window(team, key);
    totals.held += held_delta;
    totals.spent += spent_delta;
    changed_.insert({team, key});
  }
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
