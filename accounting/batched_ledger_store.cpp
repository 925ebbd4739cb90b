#include "accounting/batched_ledger_store.h"

#include <algorithm>

#include "accounting/ledger_operations.h"

namespace sb::accounting {

namespace {

// Bounds how long the first caller of a batch waits for the batch's last operation.
constexpr size_t kMaxBatch = 512;
// Reconciliation books this many expired reservations per transaction.
constexpr size_t kReconcileChunk = 256;

LockHint entry_hint(const std::string& request_id) { return LockHint{{}, {request_id}}; }

}  // namespace

BatchedLedgerStore::BatchedLedgerStore(const LedgerOptions& options,
                                       std::vector<std::unique_ptr<BatchBackend>> backends)
    : options_(options), queue_(std::move(backends), kMaxBatch) {}

ReserveResult BatchedLedgerStore::reserve(const ReserveRequest& request) {
  LockHint hint{{TeamWindows{request.team, day_key(request.now), month_key(request.now)}},
                {request.request_id}};
  return queue_.run(std::move(hint), [&](LedgerTransaction& txn) {
    return reserve_in(txn, request, options_.reservation_ttl);
  });
}

SettleOutcome BatchedLedgerStore::settle(const std::string& request_id, const Charge& charge,
                                         Timestamp now) {
  return queue_.run(entry_hint(request_id), [&](LedgerTransaction& txn) {
    return settle_in(txn, request_id, charge, now);
  });
}

bool BatchedLedgerStore::record_progress(const std::string& request_id, const Charge& so_far,
                                         Timestamp now) {
  return queue_.run(entry_hint(request_id), [&](LedgerTransaction& txn) {
    return record_progress_in(txn, request_id, so_far, now, options_.reservation_ttl);
  });
}

bool BatchedLedgerStore::release(const std::string& request_id, Timestamp now) {
  return queue_.run(entry_hint(request_id),
                    [&](LedgerTransaction& txn) { return release_in(txn, request_id, now); });
}

ReconcileSummary BatchedLedgerStore::reconcile_expired(Timestamp now) {
  const auto ids =
      queue_.run(LockHint{}, [&](LedgerTransaction& txn) { return txn.expired_open_ids(now); });
  ReconcileSummary total;
  for (size_t first = 0; first < ids.size(); first += kReconcileChunk) {
    const std::vector<std::string> chunk(
        ids.begin() + static_cast<std::ptrdiff_t>(first),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), first + kReconcileChunk)));
    const auto part = queue_.run(LockHint{{}, chunk}, [&](LedgerTransaction& txn) {
      ReconcileSummary summary;
      for (const auto& id : chunk) {
        if (const auto booked = reconcile_one_in(txn, id, now)) {
          ++summary.reconciled;
          summary.booked += *booked;
        }
      }
      return summary;
    });
    total.reconciled += part.reconciled;
    total.booked += part.booked;
  }
  return total;
}

}  // namespace sb::accounting
