#include "accounting/sqlite/group_commit_writer.h"

#include "accounting/ledger_types.h"
#include "accounting/sqlite/sqlite_transaction.h"

namespace sb::accounting::sqlite {

namespace {
// Bounds how long the first caller of a batch waits for the batch's last operation.
constexpr size_t kMaxBatch = 1024;
}  // namespace

struct GroupCommitWriter::Statements {
  explicit Statements(Database& db)
      : txn(db), savepoint(db, "SAVEPOINT op"), release(db, "RELEASE op"),
        rollback_to(db, "ROLLBACK TO op") {}
  SqliteTransaction txn;
  Statement savepoint;
  Statement release;
  Statement rollback_to;
};

GroupCommitWriter::GroupCommitWriter(const std::filesystem::path& path) : db_(path) {
  db_.exec("PRAGMA busy_timeout = 10000");
  db_.exec("PRAGMA journal_mode = WAL");
  db_.exec("PRAGMA synchronous = FULL");
  create_schema(db_);
  statements_ = std::make_unique<Statements>(db_);
  thread_ = std::thread([this] { loop(); });
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void GroupCommitWriter::enqueue(Job job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void GroupCommitWriter::loop() {
  auto& [txn, savepoint, release, rollback_to] = *statements_;
  for (;;) {
    std::deque<Job> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to write
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::exception_ptr batch_error;
    try {
      db_.exec("BEGIN IMMEDIATE");
      for (Job& job : batch) {
        savepoint.bind_all().run();
        try {
          job.work(txn);
        } catch (...) {
          job.error = std::current_exception();
          rollback_to.bind_all().run();
        }
        release.bind_all().run();
      }
      db_.exec("COMMIT");
    } catch (...) {
      batch_error = std::current_exception();
      sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    for (Job& job : batch) {
      if (batch_error || job.error) {
        job.done->set_exception(batch_error ? batch_error : job.error);
      } else {
        job.done->set_value();
      }
    }
  }
}

}  // namespace sb::accounting::sqlite
