#include "accounting/ledger_sql.h"

namespace sb::accounting::sql {

std::string spend_query(GroupBy group_by, bool filter_team, char placeholder) {
  const std::string p(1, placeholder);
  std::string sql = "SELECT " + std::string(to_string(group_by)) +
                    ", COUNT(*), CAST(SUM(prompt_tokens) AS BIGINT),"
                    " CAST(SUM(completion_tokens) AS BIGINT),"
                    " CAST(SUM(cached_prompt_tokens) AS BIGINT), CAST(SUM(cost_nano) AS BIGINT),"
                    " CAST(SUM(savings_nano) AS BIGINT),"
                    " CAST(SUM(CASE WHEN (flags & " + std::to_string(kChargeEstimated) +
                    ") <> 0 THEN 1 ELSE 0 END) AS BIGINT)"
                    " FROM sb_ledger WHERE state = " +
                    std::to_string(static_cast<int>(EntryState::Settled)) + " AND created_ms >= " +
                    p + "1 AND created_ms < " + p + "2";
  if (filter_team) sql += " AND team = " + p + "3";
  sql += " GROUP BY 1 ORDER BY 1";
  return sql;
}

}  // namespace sb::accounting::sql
