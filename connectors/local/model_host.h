#pragma once
// Keeps one local model loaded as its configuration asks: at start-up or on first use
// (lazy_load), and, with keep_alive_s, unloaded again after that long without a request.
// Requests hold a Lease while they use the model; a model in use is never unloaded.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/config/config.h"
#include "local_engine/chat_template.h"
#include "local_engine/engine_server.h"

namespace sb::connectors::local {

// One line of load / unload progress, e.g. for the server's stderr. May be called from
// any thread; must be thread-safe.
using HostLog = std::function<void(const std::string& line)>;

struct LoadedModel {
  LoadedModel(const config::LocalModelConfig& config, const engine::EngineOptions& options);
  engine::EngineServer engine;
  engine::ChatTemplate chat_template;
};

class ModelHost {
 public:
  using Clock = std::chrono::steady_clock;

  // Loads nothing yet. max_queued: requests that may wait for a slot of the engine.
  ModelHost(config::LocalModelConfig config, int max_queued, HostLog log);
  ~ModelHost();
  ModelHost(const ModelHost&) = delete;
  ModelHost& operator=(const ModelHost&) = delete;

  class Lease {
   public:
    Lease(ModelHost& host, std::shared_ptr<LoadedModel> model);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    LoadedModel& operator*() const { return *model_; }
    LoadedModel* operator->() const { return model_.get(); }

   private:
    ModelHost& host_;
    std::shared_ptr<LoadedModel> model_;
  };

  // The loaded model, loading it first when needed (callers wait for one load).
  // Throws ProviderError 503 (retriable) naming the model and the cause when it cannot load.
  Lease acquire();
  // The model only when it is loaded already (never loads): for work that is worth doing
  // with a loaded model but not worth a load, such as counting a prompt's tokens.
  std::optional<Lease> acquire_if_loaded();
  // Loads now if not loaded yet, with progress on the log; throws like acquire().
  void load();
  bool loaded() const;
  // Unloads when no lease is held and the last one ended keep_alive_s or more before
  // `now`; returns whether it did. Never unloads without keep_alive_s.
  bool unload_if_idle(Clock::time_point now);

 private:
  std::shared_ptr<LoadedModel> load_locked();  // mutex_ held
  bool unload_if_idle_locked(Clock::time_point now);
  void release();
  void watch_idle();  // the keep-alive thread

  const config::LocalModelConfig config_;
  const engine::EngineOptions options_;
  const HostLog log_;

  mutable std::mutex mutex_;  // guards the fields below
  std::condition_variable changed_;
  std::shared_ptr<LoadedModel> model_;
  int leases_ = 0;
  Clock::time_point last_used_{};
  bool stopping_ = false;

  std::thread idle_watcher_;  // only with keep_alive_s; started last
};

}  // namespace sb::connectors::local
