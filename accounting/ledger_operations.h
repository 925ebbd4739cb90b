#pragma once
// The ledger's rules (ledger_store.h), written once over LedgerTransaction. Each function runs
// inside a transaction the caller begins and commits.
#include <chrono>
#include <string>

#include "accounting/ledger_transaction.h"

namespace sb::accounting {

ReserveResult reserve_in(LedgerTransaction& txn, const ReserveRequest& request,
                         std::chrono::milliseconds ttl);
SettleOutcome settle_in(LedgerTransaction& txn, const std::string& request_id,
                        const Charge& charge, Timestamp now);
bool record_progress_in(LedgerTransaction& txn, const std::string& request_id,
                        const Charge& so_far, Timestamp now, std::chrono::milliseconds ttl);
bool release_in(LedgerTransaction& txn, const std::string& request_id, Timestamp now);
// Books one expired open reservation (reconciled_charge); the cost it booked, or nullopt when
// the entry is no longer open and expired (someone settled it meanwhile).
std::optional<Money> reconcile_one_in(LedgerTransaction& txn, const std::string& request_id,
                                      Timestamp now);

// What an abandoned reservation is booked at: the progress recorded, but at least the input
// estimate (the prompt may have reached a provider that bills it).
Charge reconciled_charge(const LedgerEntry& entry);

}  // namespace sb::accounting
