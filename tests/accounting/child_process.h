#pragma once
// Runs work in forked child processes, for the tests where separate processes share a ledger
// (two gateways on one database) or a process dies mid-write (SIGKILL). Fork before the
// parent opens any store: a child must not inherit live connections or threads.
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace sb::accounting::test {

// Runs work(i) in `count` children at once and returns what each returned, in order. A child
// that throws or dies fails the calling test.
std::vector<int64_t> run_in_children(int count, const std::function<int64_t(int)>& work);

// A child that runs `work` and reports through the pipe; the parent decides when it dies.
class Child {
 public:
  // work gets a function to call once it is ready to be killed.
  explicit Child(const std::function<void(const std::function<void()>& ready)>& work);
  ~Child();  // kills the child if it still runs
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool wait_ready();  // false when the child ended before it was ready
  void kill_hard();   // SIGKILL, then reaps it

 private:
  pid_t pid_ = -1;
  int ready_fd_ = -1;
};

}  // namespace sb::accounting::test
