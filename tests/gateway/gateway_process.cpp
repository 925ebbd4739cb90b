#include "tests/gateway/gateway_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/support/paths.h"

namespace sb::test {

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The port of "switchboard listening on http://HOST:PORT" in the log; 0 until it is there.
int listening_port(const std::string& log) {
  constexpr std::string_view kLine = "switchboard listening on http://";
  const size_t at = log.find(kLine);
  if (at == std::string::npos) return 0;
  const size_t colon = log.find(':', at + kLine.size());
  const size_t end = log.find('\n', colon);
  if (colon == std::string::npos || end == std::string::npos) return 0;
  return std::stoi(log.substr(colon + 1, end - colon - 1));
}

}  // namespace

GatewayProcess::GatewayProcess(const std::filesystem::path& config, const std::filesystem::path& log) {
  const std::string binary = (binary_dir() / "switchboard").string();
  const std::string config_arg = config.string();
  std::vector<char*> argv = {const_cast<char*>("switchboard"), const_cast<char*>("serve"),
                             const_cast<char*>("--config"), const_cast<char*>(config_arg.c_str()),
                             const_cast<char*>("--port"), const_cast<char*>("0"), nullptr};
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot create " + log.string());
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {  // only async-signal-safe calls until exec
    dup2(log_fd, STDERR_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  ::close(log_fd);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if ((port_ = listening_port(read_file(log))) > 0) return;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("switchboard serve exited: " + read_file(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop(SIGKILL);
  throw std::runtime_error("switchboard serve did not listen within 30 s: " + read_file(log));
}

GatewayProcess::~GatewayProcess() { stop(SIGTERM); }

void GatewayProcess::kill_hard() { stop(SIGKILL); }

void GatewayProcess::stop(int signal) {
  if (pid_ <= 0) return;
  ::kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace sb::test
