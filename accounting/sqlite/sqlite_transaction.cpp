#include "accounting/sqlite/sqlite_transaction.h"

#include <string>

#include "accounting/ledger_sql.h"

namespace sb::accounting::sqlite {

namespace {

const std::string kSelectEntry =
    std::string("SELECT ") + sql::kEntryColumns + " FROM sb_ledger WHERE request_id = ?1";
const std::string kInsertEntry =
    std::string("INSERT INTO sb_ledger (") + sql::kEntryColumns +
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19) ON CONFLICT (request_id) DO NOTHING";

std::optional<int64_t> optional_ms(const std::optional<Timestamp>& t) {
  return t ? std::optional<int64_t>(to_unix_ms(*t)) : std::nullopt;
}

}  // namespace

void create_schema(Database& db) {
  // One write transaction: an autocommit CREATE that finds the table missing and then loses
  // the race to another process creating it would fail with SQLITE_BUSY instead of waiting.
  db.exec("BEGIN IMMEDIATE");
  db.exec(
      "CREATE TABLE IF NOT EXISTS sb_ledger ("
      " request_id TEXT PRIMARY KEY, team TEXT NOT NULL, key_id TEXT NOT NULL,"
      " model TEXT NOT NULL, target TEXT NOT NULL, state INTEGER NOT NULL,"
      " created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL, closed_ms INTEGER,"
      " day TEXT NOT NULL, month TEXT NOT NULL, hold_nano INTEGER NOT NULL,"
      " input_estimate_nano INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL,"
      " completion_tokens INTEGER NOT NULL, cached_prompt_tokens INTEGER NOT NULL,"
      " cost_nano INTEGER NOT NULL, savings_nano INTEGER NOT NULL, flags INTEGER NOT NULL);"
      "CREATE INDEX IF NOT EXISTS sb_ledger_open ON sb_ledger (state, expires_ms);"
      "CREATE INDEX IF NOT EXISTS sb_ledger_created ON sb_ledger (created_ms);"
      "CREATE TABLE IF NOT EXISTS sb_budget_window ("
      " team TEXT NOT NULL, window_key TEXT NOT NULL, spent_nano INTEGER NOT NULL,"
      " held_nano INTEGER NOT NULL, PRIMARY KEY (team, window_key)) WITHOUT ROWID;"
      "COMMIT;");
}

SqliteTransaction::SqliteTransaction(Database& db)
    : db_(db),
      select_entry_(db, kSelectEntry.c_str()),
      select_window_(db, "SELECT spent_nano, held_nano FROM sb_budget_window"
                         " WHERE team = ?1 AND window_key = ?2"),
      insert_entry_(db, kInsertEntry.c_str()),
      update_entry_(db, "UPDATE sb_ledger SET target = ?2, state = ?3, closed_ms = ?4,"
                        " expires_ms = ?5, prompt_tokens = ?6, completion_tokens = ?7,"
                        " cached_prompt_tokens = ?8, cost_nano = ?9, savings_nano = ?10,"
                        " flags = ?11 WHERE request_id = ?1"),
      upsert_window_(db, "INSERT INTO sb_budget_window (team, window_key, held_nano, spent_nano)"
                         " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (team, window_key) DO UPDATE SET"
                         " held_nano = held_nano + excluded.held_nano,"
                         " spent_nano = spent_nano + excluded.spent_nano"),
      select_expired_(db, "SELECT request_id FROM sb_ledger WHERE state = 0 AND expires_ms <= ?1"
                          " ORDER BY expires_ms") {}

std::optional<LedgerEntry> SqliteTransaction::entry(const std::string& request_id, bool) {
  if (!select_entry_.bind_all(request_id).step()) return std::nullopt;
  LedgerEntry found = sql::entry_from_row(select_entry_);
  select_entry_.reset();
  return found;
}

WindowTotals SqliteTransaction::window(const std::string& team, const std::string& key) {
  if (!select_window_.bind_all(team, key).step()) return {};
  const WindowTotals totals{Money{select_window_.int64(0)}, Money{select_window_.int64(1)}};
  select_window_.reset();
  return totals;
}

WindowPair SqliteTransaction::lock_windows(const std::string& team, const std::string& day,
                                           const std::string& month) {
  return WindowPair{window(team, day), window(team, month)};
}

bool SqliteTransaction::insert_entry(const LedgerEntry& e) {
  insert_entry_
      .bind_all(e.request_id, e.team, e.key_id, e.model, e.target, static_cast<int>(e.state),
                to_unix_ms(e.created_at), to_unix_ms(e.expires_at), optional_ms(e.closed_at), e.day,
                e.month, e.hold.nanousd, e.input_estimate.nanousd, e.usage.prompt_tokens,
                e.usage.completion_tokens, e.usage.cached_prompt_tokens, e.cost.nanousd,
                e.savings.nanousd, e.flags)
      .run();
  return sqlite3_changes(db_.handle()) > 0;
}

void SqliteTransaction::update_entry(const LedgerEntry& e) {
  update_entry_
      .bind_all(e.request_id, e.target, static_cast<int>(e.state), optional_ms(e.closed_at),
                to_unix_ms(e.expires_at), e.usage.prompt_tokens, e.usage.completion_tokens,
                e.usage.cached_prompt_tokens, e.cost.nanousd, e.savings.nanousd, e.flags)
      .run();
}

void SqliteTransaction::add_to_window(const std::string& team, const std::string& key,
                                      Money held, Money spent) {
  upsert_window_.bind_all(team, key, held.nanousd, spent.nanousd).run();
}

void SqliteTransaction::add_to_windows(const std::string& team, const std::string& day,
                                       const std::string& month, Money held_delta,
                                       Money spent_delta) {
  add_to_window(team, day, held_delta, spent_delta);
  add_to_window(team, month, held_delta, spent_delta);
}

std::vector<std::string> SqliteTransaction::expired_open_ids(Timestamp now) {
  std::vector<std::string> ids;
  select_expired_.bind_all(to_unix_ms(now));
  while (select_expired_.step()) ids.push_back(select_expired_.text(0));
  return ids;
}

}  // namespace sb::accounting::sqlite
