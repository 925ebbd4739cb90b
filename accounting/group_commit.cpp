#include "accounting/group_commit.h"

namespace sb::accounting {

namespace {
constexpr int kMaxAttempts = 8;
}  // namespace

GroupCommitQueue::GroupCommitQueue(std::vector<std::unique_ptr<BatchBackend>> backends,
                                   size_t max_batch)
    : backends_(std::move(backends)), max_batch_(max_batch) {
  for (auto& backend : backends_) {
    workers_.emplace_back([this, b = backend.get()] { work(*b); });
  }
}

GroupCommitQueue::~GroupCommitQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void GroupCommitQueue::enqueue(Job job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void GroupCommitQueue::work(BatchBackend& backend) {
  for (;;) {
    std::deque<Job> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to write
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<Job*> jobs;
    for (Job& job : batch) jobs.push_back(&job);
    execute(backend, jobs);
  }
}

void GroupCommitQueue::execute(BatchBackend& backend, const std::vector<Job*>& jobs) {
  std::vector<const LockHint*> hints;
  for (const Job* job : jobs) hints.push_back(&job->hint);
  std::exception_ptr error;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    try {
      backend.begin(hints);
      for (Job* job : jobs) job->work(backend.transaction());
      backend.commit();
      for (Job* job : jobs) job->done->set_value();
      return;
    } catch (...) {
      error = std::current_exception();
      backend.rollback();
      if (!backend.retryable(error)) break;
    }
  }
  if (jobs.size() == 1) {
    jobs.front()->done->set_exception(error);
    return;
  }
  for (Job* job : jobs) execute(backend, {job});  // isolate the operation that fails
}

}  // namespace sb::accounting
