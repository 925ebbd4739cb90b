#pragma once
// Internal to the stores: the ledger's SQL that SQLite and PostgreSQL share. Both stores keep
// two tables:
//   sb_ledger         one row per request id (the primary key makes booking idempotent)
//   sb_budget_window  per team and window ("2025-01-31" or "2025-01"): spent and held, the
//                     running totals reservations are checked against
// Money is stored in nano-dollars, instants as unix milliseconds.
#include <string>

#include "accounting/ledger_types.h"

namespace sb::accounting::sql {

// The sb_ledger columns, in the order entry_from_row reads them.
inline constexpr const char* kEntryColumns =
    "request_id, team, key_id, model, target, state, created_ms, expires_ms, closed_ms, day, "
    "month, hold_nano, input_estimate_nano, prompt_tokens, completion_tokens, "
    "cached_prompt_tokens, cost_nano, savings_nano, flags";

// Row: int64(i), text(i), is_null(i) over a result row with kEntryColumns.
template <typename Row>
LedgerEntry entry_from_row(const Row& row) {
  LedgerEntry e;
  e.request_id = row.text(0);
  e.team = row.text(1);
  e.key_id = row.text(2);
  e.model = row.text(3);
  e.target = row.text(4);
  e.state = static_cast<EntryState>(row.int64(5));
  e.created_at = from_unix_ms(row.int64(6));
  e.expires_at = from_unix_ms(row.int64(7));
  if (!row.is_null(8)) e.closed_at = from_unix_ms(row.int64(8));
  e.day = row.text(9);
  e.month = row.text(10);
  e.hold = Money{row.int64(11)};
  e.input_estimate = Money{row.int64(12)};
  e.usage.prompt_tokens = row.int64(13);
  e.usage.completion_tokens = row.int64(14);
  e.usage.cached_prompt_tokens = row.int64(15);
  e.cost = Money{row.int64(16)};
  e.savings = Money{row.int64(17)};
  e.flags = static_cast<uint32_t>(row.int64(18));
  return e;
}

// SELECT group, requests, prompt, completion, cached, cost, savings, estimated over settled
// entries with created_ms in [P1, P2), of team P3 when filter_team. `placeholder` is the
// parameter prefix: '?' (SQLite ?1) or '$' (PostgreSQL $1).
std::string spend_query(GroupBy group_by, bool filter_team, char placeholder);

// SpendRow from a spend_query row (same Row shape as entry_from_row).
template <typename Row>
SpendRow spend_row(const Row& row) {
  return SpendRow{row.text(0),       row.int64(1),        row.int64(2),
                  row.int64(3),      row.int64(4),        Money{row.int64(5)},
                  Money{row.int64(6)}, row.int64(7)};
}

}  // namespace sb::accounting::sql
