// switchboard serve --config FILE [--listen HOST:PORT]
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <mutex>
#include <string>
#include <thread>

#include "connectors/provider_registry.h"
#include "gateway/cli/args.h"
#include "gateway/cli/command.h"
#include "gateway/server.h"

namespace sb::cli {
namespace {

Args serve_args() {
  Args args;
  args.option({"-c", "--config"}, "configuration file (default: policies.yaml)")
      .option({"--port"}, "port to listen on, overriding server.listen (0 = any free port)");
  return args;
}

// Stops the server on SIGINT/SIGTERM. The signals are blocked before any thread starts (so
// every thread inherits the mask) and taken by one thread with sigwait: no code runs in
// signal context, and no other thread gets the default action.
class SignalWatcher {
 public:
  SignalWatcher() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  void stop_on_signal(gateway::Server& server) {
    thread_ = std::thread([this, &server] {
      int sig = 0;
      sigwait(&set_, &sig);
      server.stop();
    });
  }
  ~SignalWatcher() {
    if (!thread_.joinable()) return;
    pthread_kill(thread_.native_handle(), SIGTERM);  // wakes sigwait if no signal came
    thread_.join();
  }

 private:
  sigset_t set_;
  std::thread thread_;
};

int run_serve(const std::vector<std::string>& argv, Io io) {
  return report_errors("serve", io, [&] {
    Args args = serve_args();
    args.parse(argv);
    const std::string path = args.get_or("--config", "policies.yaml");
    const auto port = args.get_int("--port");
    const config::Config config = config::load_config(path, config::process_env());
    SignalWatcher watcher;  // first: every thread started below inherits the blocked signals
    // Local models log their loading (and lazy loads / idle unloads) from other threads.
    std::mutex err_mutex;
    auto say = [&](const std::string& line) {
      std::lock_guard lock(err_mutex);
      io.err << line << "\n";
      io.err.flush();
    };
    for (const auto& w : config.warnings) say("warning: " + w);
    connectors::LocalProviderOptions local_options;
    local_options.log = say;
    connectors::ProviderRegistry providers(config, local_options);
    for (const auto& w : providers.warnings()) say("warning: " + w);

    gateway::Server server(config, providers);
    server.bind(config.server.host, port ? static_cast<int>(*port) : config.server.port);
    watcher.stop_on_signal(server);
    server.set_ready(true);
    say("switchboard listening on http://" + config.server.host + ":" + std::to_string(server.port()));
    server.run();
    say("switchboard stopped");
    return kExitOk;
  });
}

}  // namespace

Command make_serve_command() {
  return {"serve", "run the gateway",
          "usage: switchboard serve [--config FILE] [--port N]\n\n"
          "Serves the OpenAI-compatible API on server.listen of the configuration.\n\n" +
              serve_args().describe(),
          run_serve};
}

}  // namespace sb::cli
