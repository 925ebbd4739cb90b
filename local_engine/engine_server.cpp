#include "local_engine/engine_server.h"

#include <algorithm>
#include <string>
#include <thread>

namespace sb::engine {
namespace {

int resolve_decode_threads(const EngineOptions& o) {
  const int wanted = o.decode_threads > 0 ? o.decode_threads
                                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::min(wanted, o.parallel);
}

const EngineOptions& checked(const EngineOptions& o) {
  if (o.parallel < 1) throw std::invalid_argument("engine: parallel must be >= 1, got " + std::to_string(o.parallel));
  if (o.context < 2) throw std::invalid_argument("engine: context must be >= 2, got " + std::to_string(o.context));
  if (o.max_queued < 0)
    throw std::invalid_argument("engine: max_queued must be >= 0, got " + std::to_string(o.max_queued));
  return o;
}

}  // namespace

QueueFullError::QueueFullError(int max_queued)
    : std::runtime_error("engine: all slots are busy and " + std::to_string(max_queued) +
                         " requests already wait for one") {}

EngineServer::EngineServer(Model model, const EngineOptions& options)
    : model_(std::move(model)),
      tokenizer_(Tokenizer::from_gguf(model_.file())),
      context_(std::min(checked(options).context, model_.config().context_length)),
      decode_threads_(resolve_decode_threads(options)),
      max_queued_(options.max_queued),
      gate_(decode_threads_) {
  for (int i = 0; i < options.parallel; ++i) {
    slots_.push_back(std::make_unique<RunState>(model_.config(), context_));
    free_slots_.push_back(static_cast<size_t>(options.parallel - 1 - i));  // slot 0 is taken first
  }
}

size_t EngineServer::take_slot() {
  std::unique_lock lock(mutex_);
  if (free_slots_.empty() || waiting_ > 0) {  // wait behind those already waiting
    if (waiting_ >= max_queued_) throw QueueFullError(max_queued_);
    const uint64_t ticket = next_ticket_++;
    ++waiting_;
    slot_freed_.wait(lock, [&] { return ticket == now_serving_ && !free_slots_.empty(); });
    --waiting_;
    ++now_serving_;
    slot_freed_.notify_all();  // the next ticket may find a slot too
  }
  const size_t slot = free_slots_.back();
  free_slots_.pop_back();
  return slot;
}

void EngineServer::return_slot(size_t slot) {
  std::lock_guard lock(mutex_);
  free_slots_.push_back(slot);
  slot_freed_.notify_all();
}

GenerateResult EngineServer::generate(std::span<const TokenId> prompt, const GenerateParams& params,
                                      const OnToken& on_token) {
  const size_t slot = take_slot();
  struct SlotReturn {
    EngineServer& server;
    size_t slot;
    ~SlotReturn() { server.return_slot(slot); }
  } slot_return{*this, slot};

  DecodePermit permit(gate_);
  // Between two tokens the sequence steps out of the gate, so others take their turn,
  // and its consumer (which may block on a slow client) runs without holding a permit.
  return engine::generate(model_, tokenizer_, *slots_[slot], prompt, params,
                          [&](TokenId token, std::string_view text) {
                            return permit.released_during([&] { return !on_token || on_token(token, text); });
                          });
}

int EngineServer::queued() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

int EngineServer::active() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(slots_.size() - free_slots_.size());
}

}  // namespace sb::engine
