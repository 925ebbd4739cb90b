#include "tests/accounting/child_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>

namespace sb::accounting::test {

namespace {

void write_all(int fd, const void* data, size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n <= 0) return;
    p += n;
    size -= static_cast<size_t>(n);
  }
}

bool read_all(int fd, void* data, size_t size) {
  auto* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::read(fd, p, size);
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// In the child: runs body, then leaves without running the parent's atexit handlers and
// destructors (gtest's, open files') that the fork copied.
template <typename Body>
[[noreturn]] void child_main(Body&& body) {
  int code = 0;
  try {
    body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "child %d: %s\n", static_cast<int>(getpid()), e.what());
    code = 1;
  }
  std::fflush(stderr);
  _exit(code);
}

std::pair<int, int> make_pipe() {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  return {fds[0], fds[1]};
}

}  // namespace

std::vector<int64_t> run_in_children(int count, const std::function<int64_t(int)>& work) {
  std::vector<pid_t> pids;
  std::vector<int> fds;
  for (int i = 0; i < count; ++i) {
    const auto [read_fd, write_fd] = make_pipe();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      close(read_fd);
      child_main([&, write_fd = write_fd] {
        const int64_t result = work(i);
        write_all(write_fd, &result, sizeof result);
      });
    }
    close(write_fd);
    pids.push_back(pid);
    fds.push_back(read_fd);
  }
  std::vector<int64_t> results(static_cast<size_t>(count));
  std::string failures;
  for (int i = 0; i < count; ++i) {
    const bool got = read_all(fds[i], &results[i], sizeof(int64_t));
    close(fds[i]);
    int status = 0;
    waitpid(pids[i], &status, 0);
    if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      failures += " child " + std::to_string(i) + " failed (status " + std::to_string(status) + ")";
    }
  }
  if (!failures.empty()) throw std::runtime_error(failures);
  return results;
}

Child::Child(const std::function<void(const std::function<void()>& ready)>& work) {
  const auto [read_fd, write_fd] = make_pipe();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    close(read_fd);
    child_main([&, write_fd = write_fd] {
      work([write_fd] {
        const char byte = 'R';
        write_all(write_fd, &byte, 1);
      });
    });
  }
  close(write_fd);
  ready_fd_ = read_fd;
}

Child::~Child() {
  if (pid_ > 0) kill_hard();
  if (ready_fd_ >= 0) close(ready_fd_);
}

bool Child::wait_ready() {
  char byte = 0;
  return read_all(ready_fd_, &byte, 1) && byte == 'R';
}

void Child::kill_hard() {
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace sb::accounting::test
