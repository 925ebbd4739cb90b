#include "connectors/local/model_host.h"

#include <sstream>

#include "connectors/provider.h"

namespace sb::connectors::local {
namespace {

engine::EngineOptions engine_options(const config::LocalModelConfig& c, int max_queued) {
  engine::EngineOptions o;
  o.context = c.context;
  o.parallel = c.parallel;
  o.decode_threads = c.threads;
  o.max_queued = max_queued;
  return o;
}

std::string describe(const config::LocalModelConfig& c, const LoadedModel& m, int64_t millis) {
  const auto& mc = m.engine.model().config();
  std::ostringstream line;
  line << "local model '" << c.name << "' ready in " << millis << " ms: " << mc.n_layers << " layers, dim "
       << mc.dim << ", vocab " << mc.vocab_size << ", context " << m.engine.context() << " (trained "
       << mc.context_length << "), " << m.engine.parallel() << " slots, " << m.engine.decode_threads()
       << " decoding at once, chat template " << m.chat_template.name();
  return line.str();
}

}  // namespace

LoadedModel::LoadedModel(const config::LocalModelConfig& config, const engine::EngineOptions& options)
    : engine(engine::Model::load(config.path), options),
      chat_template(engine::ChatTemplate::for_model(engine.model().file(), config.chat_template)) {}

ModelHost::ModelHost(config::LocalModelConfig config, int max_queued, HostLog log)
    : config_(std::move(config)), options_(engine_options(config_, max_queued)), log_(std::move(log)) {
  if (config_.keep_alive_s) idle_watcher_ = std::thread([this] { watch_idle(); });
}

ModelHost::~ModelHost() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    changed_.notify_all();
  }
  if (idle_watcher_.joinable()) idle_watcher_.join();
}

ModelHost::Lease::Lease(ModelHost& host, std::shared_ptr<LoadedModel> model)
    : host_(host), model_(std::move(model)) {}

ModelHost::Lease::~Lease() { host_.release(); }

ModelHost::Lease ModelHost::acquire() {
  std::lock_guard lock(mutex_);
  auto model = load_locked();
  ++leases_;
  changed_.notify_all();
  return Lease(*this, std::move(model));
}

std::optional<ModelHost::Lease> ModelHost::acquire_if_loaded() {
  std::lock_guard lock(mutex_);
  if (!model_) return std::nullopt;
  ++leases_;
  changed_.notify_all();
  return std::optional<Lease>(std::in_place, *this, model_);
}

void ModelHost::load() {
  std::lock_guard lock(mutex_);
  load_locked();
  last_used_ = Clock::now();  // keep_alive counts from the load
  changed_.notify_all();
}

std::shared_ptr<LoadedModel> ModelHost::load_locked() {
  if (model_) return model_;
  if (log_) log_("loading local model '" + config_.name + "' from " + config_.path.string());
  const auto started = Clock::now();
  try {
    model_ = std::make_shared<LoadedModel>(config_, options_);
  } catch (const std::exception& e) {
    throw ProviderError(503, "service_unavailable", "local_model_unavailable",
                        "local model '" + config_.name + "' cannot be loaded: " + e.what(), true);
  }
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  if (log_) log_(describe(config_, *model_, millis));
  return model_;
}

bool ModelHost::loaded() const {
  std::lock_guard lock(mutex_);
  return model_ != nullptr;
}

void ModelHost::release() {
  std::lock_guard lock(mutex_);
  --leases_;
  last_used_ = Clock::now();
  changed_.notify_all();
}

bool ModelHost::unload_if_idle(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  return unload_if_idle_locked(now);
}

bool ModelHost::unload_if_idle_locked(Clock::time_point now) {
  if (!model_ || leases_ > 0 || !config_.keep_alive_s) return false;
  if (now - last_used_ < std::chrono::seconds(*config_.keep_alive_s)) return false;
  model_.reset();
  if (log_) log_("local model '" + config_.name + "' unloaded after " + std::to_string(*config_.keep_alive_s) + " s idle");
  return true;
}

void ModelHost::watch_idle() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (model_ && leases_ == 0)
      changed_.wait_until(lock, last_used_ + std::chrono::seconds(*config_.keep_alive_s));
    else
      changed_.wait(lock);
    if (!stopping_) unload_if_idle_locked(Clock::now());
  }
}

}  // namespace sb::connectors::local
