#pragma once
// Group commit for SQLite: one writer thread owns the write connection. Callers queue
// operations and block; the writer runs everything queued in one BEGIN IMMEDIATE transaction
// (each operation in its own SAVEPOINT, so one failing operation does not undo the others),
// commits once (one fsync under synchronous=FULL), and only then wakes the callers. Thousands
// of bookings per second share a handful of fsyncs, and every answer a caller gets is durable.
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "accounting/ledger_transaction.h"
#include "accounting/sqlite/sqlite_db.h"

namespace sb::accounting::sqlite {

class GroupCommitWriter {
 public:
  // Opens the write connection (WAL, synchronous=FULL) and creates the schema.
  explicit GroupCommitWriter(const std::filesystem::path& path);
  ~GroupCommitWriter();  // finishes what is queued, then stops
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Runs op inside the next group transaction and returns its result once committed.
  // Rethrows op's exception, or LedgerError when the commit fails.
  template <typename Op>
  auto run(Op&& op) -> decltype(op(std::declval<LedgerTransaction&>())) {
    using Result = decltype(op(std::declval<LedgerTransaction&>()));
    std::optional<Result> result;  // written by the writer thread before it fulfils `done`
    std::promise<void> done;
    auto committed = done.get_future();
    enqueue(Job{[&](LedgerTransaction& txn) { result.emplace(op(txn)); }, &done, nullptr});
    committed.get();
    return std::move(*result);
  }

 private:
  struct Job {
    std::function<void(LedgerTransaction&)> work;
    std::promise<void>* done;
    std::exception_ptr error;
  };

  // The writer's prepared statements; made before the thread starts so errors reach the caller.
  struct Statements;

  void enqueue(Job job);
  void loop();

  Database db_;
  std::unique_ptr<Statements> statements_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace sb::accounting::sqlite
