#pragma once
// The write half of a LedgerStore over a GroupCommitQueue: every write operation of
// ledger_store.h runs the shared rules (ledger_operations.h) in a group transaction. The
// stores derive from it and add their reads (status, spend, find).
#include <memory>

#include "accounting/group_commit.h"
#include "accounting/ledger_store.h"

namespace sb::accounting {

class BatchedLedgerStore : public LedgerStore {
 public:
  ReserveResult reserve(const ReserveRequest& request) override;
  SettleOutcome settle(const std::string& request_id, const Charge& charge, Timestamp now) override;
  bool record_progress(const std::string& request_id, const Charge& so_far, Timestamp now) override;
  bool release(const std::string& request_id, Timestamp now) override;
  ReconcileSummary reconcile_expired(Timestamp now) override;

 protected:
  BatchedLedgerStore(const LedgerOptions& options,
                     std::vector<std::unique_ptr<BatchBackend>> backends);

 private:
  LedgerOptions options_;
  GroupCommitQueue queue_;
};

}  // namespace sb::accounting
