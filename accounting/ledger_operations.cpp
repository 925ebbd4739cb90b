#include "accounting/ledger_operations.h"

#include <algorithm>

#include "accounting/budget_check.h"

namespace sb::accounting {

namespace {

// The entry, with its budget windows locked and the row re-read under lock, when it is open;
// nullopt with `outcome` set otherwise. Windows are locked before the entry everywhere, so
// concurrent reservations and settlements of one team cannot deadlock.
std::optional<LedgerEntry> lock_open_entry(LedgerTransaction& txn, const std::string& request_id,
                                           SettleOutcome& outcome) {
  const auto unlocked = txn.entry(request_id, false);
  if (!unlocked) {
    outcome = SettleOutcome::Unknown;
    return std::nullopt;
  }
  txn.lock_windows(unlocked->team, unlocked->day, unlocked->month);
  auto entry = txn.entry(request_id, true);
  if (!entry || entry->state != EntryState::Open) {
    outcome = SettleOutcome::AlreadyClosed;
    return std::nullopt;
  }
  return entry;
}

void close_entry(LedgerTransaction& txn, LedgerEntry entry, EntryState state, const Charge& charge,
                 Timestamp now) {
  entry.state = state;
  entry.closed_at = now;
  entry.target = charge.target;
  entry.usage = charge.usage;
  entry.cost = charge.cost;
  entry.savings = charge.savings;
  entry.flags = charge.flags;
  txn.update_entry(entry);
  txn.add_to_windows(entry.team, entry.day, entry.month, Money{} - entry.hold, charge.cost);
}

Reservation replay_of(const LedgerEntry& entry) {
  return Reservation{entry.request_id, entry.hold, entry.state, true};
}

}  // namespace

ReserveResult reserve_in(LedgerTransaction& txn, const ReserveRequest& request,
                         std::chrono::milliseconds ttl) {
  if (auto existing = txn.entry(request.request_id, false)) return replay_of(*existing);

  LedgerEntry entry;
  entry.request_id = request.request_id;
  entry.team = request.team;
  entry.key_id = request.key_id;
  entry.model = request.model;
  entry.created_at = request.now;
  entry.expires_at = request.now + ttl;
  entry.day = day_key(request.now);
  entry.month = month_key(request.now);
  entry.hold = request.amount();
  entry.input_estimate = request.input_estimate;

  const WindowPair windows = txn.lock_windows(entry.team, entry.day, entry.month);
  if (auto refused = check_budget(request.caps, windows.daily, windows.monthly, entry.hold,
                                  request.now)) {
    return *refused;
  }
  if (!txn.insert_entry(entry)) {  // the same id, reserved concurrently by another process
    const auto existing = txn.entry(request.request_id, false);
    if (!existing) throw LedgerError("reserve " + request.request_id + ": entry vanished");
    return replay_of(*existing);
  }
  txn.add_to_windows(entry.team, entry.day, entry.month, entry.hold, Money{});
  return Reservation{entry.request_id, entry.hold, EntryState::Open, false};
}

SettleOutcome settle_in(LedgerTransaction& txn, const std::string& request_id,
                        const Charge& charge, Timestamp now) {
  SettleOutcome outcome = SettleOutcome::Settled;
  auto entry = lock_open_entry(txn, request_id, outcome);
  if (entry) close_entry(txn, std::move(*entry), EntryState::Settled, charge, now);
  return outcome;
}

bool record_progress_in(LedgerTransaction& txn, const std::string& request_id,
                        const Charge& so_far, Timestamp now, std::chrono::milliseconds ttl) {
  auto entry = txn.entry(request_id, true);
  if (!entry || entry->state != EntryState::Open) return false;
  entry->target = so_far.target;
  entry->usage = so_far.usage;
  entry->cost = so_far.cost;
  entry->savings = so_far.savings;
  entry->flags = so_far.flags;
  entry->expires_at = std::max(entry->expires_at, now + ttl);
  txn.update_entry(*entry);
  return true;
}

bool release_in(LedgerTransaction& txn, const std::string& request_id, Timestamp now) {
  SettleOutcome outcome = SettleOutcome::Settled;
  auto entry = lock_open_entry(txn, request_id, outcome);
  if (!entry) return false;
  close_entry(txn, std::move(*entry), EntryState::Released, Charge{}, now);
  return true;
}

std::optional<Money> reconcile_one_in(LedgerTransaction& txn, const std::string& request_id,
                                      Timestamp now) {
  SettleOutcome outcome = SettleOutcome::Settled;
  auto entry = lock_open_entry(txn, request_id, outcome);
  if (!entry || entry->expires_at > now) return std::nullopt;
  const Charge charge = reconciled_charge(*entry);
  close_entry(txn, std::move(*entry), EntryState::Settled, charge, now);
  return charge.cost;
}

Charge reconciled_charge(const LedgerEntry& entry) {
  Charge charge{entry.target, entry.usage, entry.cost, entry.savings,
                entry.flags | kChargeReconciled | kChargeEstimated};
  charge.cost = std::max(entry.cost, entry.input_estimate);
  return charge;
}

}  // namespace sb::accounting
