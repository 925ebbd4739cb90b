#pragma once
// `switchboard serve` in a process of its own, for the tests that run two gateways on one
// ledger or kill one mid-stream. It listens on a free port; its stderr goes to a log file.
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace sb::test {

class GatewayProcess {
 public:
  // Starts the build's switchboard binary with `config` and waits until it listens; throws
  // std::runtime_error (with its log) when it exits or does not listen within 30 s.
  GatewayProcess(const std::filesystem::path& config, const std::filesystem::path& log);
  ~GatewayProcess();  // SIGTERM if it still runs, then reaps it
  GatewayProcess(const GatewayProcess&) = delete;
  GatewayProcess& operator=(const GatewayProcess&) = delete;

  int port() const { return port_; }
  void kill_hard();  // SIGKILL: no shutdown code runs, like a crash

 private:
  void stop(int signal);

  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace sb::test
