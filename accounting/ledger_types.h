#pragma once
// The values that cross the LedgerStore interface: reservations, charges, budget verdicts and
// spend reports. Plain data; every store speaks exactly these.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "accounting/money.h"
#include "accounting/time_window.h"
#include "core/chat.h"
#include "core/config/config.h"

namespace sb::accounting {

// A database failure, with what was being done ("sqlite: settle req-1: database is locked").
class LedgerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct BudgetCaps {
  std::optional<Money> daily;
  std::optional<Money> monthly;
  static BudgetCaps from_config(const config::Budget& budget);
};

struct ReserveRequest {
  std::string request_id;  // the key of exactly-once booking
  std::string team;
  std::string key_id;      // which API key of the team (an identifier, never the secret)
  std::string model;       // the model the client asked for
  Money input_estimate;    // the estimated prompt at the input price
  Money output_max;        // max output tokens at the output price
  BudgetCaps caps;
  Timestamp now;
  Money amount() const { return input_estimate + output_max; }
};

enum class EntryState { Open, Settled, Released };
const char* to_string(EntryState s);

struct Reservation {
  std::string request_id;
  Money amount;
  EntryState state = EntryState::Open;
  bool replayed = false;  // the id was reserved before: no second hold was taken
};

struct BudgetExceeded {
  BudgetWindow window;
  Timestamp reset_at;  // when the window that refused opens anew
  Money cap;
  Money committed;     // spent + held in that window before this request
  Money requested;
};

using ReserveResult = std::variant<Reservation, BudgetExceeded>;

// Bits of Charge::flags, stored with every booking.
enum ChargeFlag : uint32_t {
  kChargeEstimated = 1u << 0,   // usage was estimated, not reported (usage_estimate.h)
  kChargePartial = 1u << 1,     // the answer was cut: client disconnect, upstream failure
  kChargeReconciled = 1u << 2,  // booked by reconcile_expired after its process died
};

struct Charge {
  std::string target;  // the model that answered
  Usage usage;
  Money cost;
  Money savings;       // PriceTable::savings
  uint32_t flags = 0;
};

enum class SettleOutcome {
  Settled,        // this call booked it
  AlreadyClosed,  // settled or released before: nothing changed (idempotent replay)
  Unknown,        // no reservation with this id: nothing booked
};

// One row of the ledger, as stored.
struct LedgerEntry {
  std::string request_id;
  std::string team;
  std::string key_id;
  std::string model;
  std::string target;
  EntryState state = EntryState::Open;
  Timestamp created_at;
  Timestamp expires_at;  // an open reservation not settled by then is reconciled
  std::optional<Timestamp> closed_at;
  std::string day;    // day_key(created_at): the windows it counts against
  std::string month;  // month_key(created_at)
  Money hold;         // the reservation's amount, held while open
  Money input_estimate;
  Usage usage;        // while open: the progress recorded so far
  Money cost;
  Money savings;
  uint32_t flags = 0;
};

struct ReconcileSummary {
  int64_t reconciled = 0;
  Money booked;
};

struct WindowTotals {
  Money spent;  // settled costs
  Money held;   // open reservations
  Money committed() const { return spent + held; }
};

struct BudgetStatus {
  WindowTotals daily;
  WindowTotals monthly;
};

enum class GroupBy { Day, Model, Target, Team };
std::optional<GroupBy> parse_group_by(std::string_view s);  // "day" | "model" | "target" | "team"
const char* to_string(GroupBy g);

// Settled bookings created in [from, to), optionally of one team.
struct SpendQuery {
  std::optional<std::string> team;
  Timestamp from;
  Timestamp to;
  GroupBy group_by = GroupBy::Day;
};

struct SpendRow {
  std::string group;  // the day, model, target or team
  int64_t requests = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t cached_prompt_tokens = 0;
  Money cost;
  Money savings;
  int64_t estimated_requests = 0;  // bookings flagged kChargeEstimated
};

}  // namespace sb::accounting
