#pragma once
// Budget windows are calendar periods in UTC: the day [00:00, 24:00) and the month
// [1st 00:00, next 1st 00:00). Every function takes the instant explicitly, so callers
// inject their clock and tests need no real time.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sb::accounting {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

inline Timestamp from_unix_ms(int64_t ms) { return Timestamp{std::chrono::milliseconds{ms}}; }
inline int64_t to_unix_ms(Timestamp t) { return t.time_since_epoch().count(); }

enum class BudgetWindow { Daily, Monthly };
const char* to_string(BudgetWindow w);  // "daily" | "monthly"

std::string day_key(Timestamp t);    // "2025-01-31"
std::string month_key(Timestamp t);  // "2025-01"
Timestamp window_start(BudgetWindow w, Timestamp t);
Timestamp window_reset(BudgetWindow w, Timestamp t);  // the start of the next window

// "2025-01-31T00:00:00Z"
std::string format_iso8601(Timestamp t);
// Parses "2025-01-31" (midnight UTC) or "2025-01-31T12:34:56Z"; nullopt when malformed.
std::optional<Timestamp> parse_iso8601(std::string_view text);

}  // namespace sb::accounting
