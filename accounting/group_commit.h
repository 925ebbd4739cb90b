#pragma once
// Group commit for the ledger stores. Callers queue operations and block; worker threads (one
// per database connection) each take everything queued, run it in ONE transaction and commit
// once (one fsync), and only then wake the callers: thousands of bookings per second share a
// handful of commits, and every answer a caller gets is durable.
//
// A batch that fails is rolled back. When the error may pass on a rerun (a deadlock, a lost
// connection, a busy database) the batch is rerun; otherwise each of its operations is rerun in
// a transaction of its own, so one failing operation fails only its own caller. Reruns are safe
// because every ledger operation is idempotent per request id.
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "accounting/ledger_transaction.h"

namespace sb::accounting {

// What an operation will lock, so a shared store can lock a whole batch up front in one global
// order (no two batches wait on each other in a cycle).
struct TeamWindows {
  std::string team;
  std::string day;
  std::string month;
};
struct LockHint {
  std::vector<TeamWindows> windows;      // windows the operation locks (a reservation's)
  std::vector<std::string> request_ids;  // entries whose windows it locks (settle, release...)
};

// One database connection as the queue uses it.
class BatchBackend {
 public:
  virtual ~BatchBackend() = default;
  // Begins a transaction; shared stores also lock what `hints` name.
  virtual void begin(const std::vector<const LockHint*>& hints) = 0;
  virtual LedgerTransaction& transaction() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // Whether a batch that failed with `error` may succeed when simply rerun.
  virtual bool retryable(std::exception_ptr error) const = 0;
};

class GroupCommitQueue {
 public:
  // One worker thread per backend; at most max_batch operations per transaction.
  GroupCommitQueue(std::vector<std::unique_ptr<BatchBackend>> backends, size_t max_batch);
  ~GroupCommitQueue();  // finishes what is queued, then stops
  GroupCommitQueue(const GroupCommitQueue&) = delete;
  GroupCommitQueue& operator=(const GroupCommitQueue&) = delete;

  // Runs op inside a group transaction and returns its result once committed; rethrows what
  // op threw, or the commit's error. op may run more than once (reruns): it must not keep
  // state outside its result.
  template <typename Op>
  auto run(LockHint hint, Op&& op) -> decltype(op(std::declval<LedgerTransaction&>())) {
    using Result = decltype(op(std::declval<LedgerTransaction&>()));
    std::optional<Result> result;  // written by a worker before it fulfils `done`
    std::promise<void> done;
    auto committed = done.get_future();
    enqueue(Job{std::move(hint), [&](LedgerTransaction& txn) { result.emplace(op(txn)); }, &done});
    committed.get();
    return std::move(*result);
  }

 private:
  struct Job {
    LockHint hint;
    std::function<void(LedgerTransaction&)> work;
    std::promise<void>* done;
  };

  void enqueue(Job job);
  void work(BatchBackend& backend);
  // Runs the jobs in one transaction (with reruns) and fulfils their promises.
  void execute(BatchBackend& backend, const std::vector<Job*>& jobs);

  std::vector<std::unique_ptr<BatchBackend>> backends_;
  size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;  // last: they start after everything they use exists
};

}  // namespace sb::accounting
