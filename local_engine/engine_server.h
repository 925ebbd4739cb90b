#pragma once
// Serves one loaded model to many concurrent requests.
//
// The server owns the Model and its Tokenizer and `parallel` slots, each a RunState
// with a KV cache of context() positions, allocated once. A request runs on the
// caller's thread: it waits (first come, first served) for a free slot, then decodes
// with that slot's state. At most `decode_threads` sequences step the model at once;
// a sequence hands its turn to the next one after every token and while its callback
// runs, so a slow consumer never stalls the others and all slots make progress.
// Sequences never share state, so each result is the same as if it ran alone.
//
// Requests beyond the slots wait in a bounded queue; past `max_queued` waiting ones,
// generate() fails at once with QueueFullError instead of queueing without limit.
// (Batched decoding over the slots can replace the per-sequence steps behind the same
// interface.)
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <vector>

#include "local_engine/decode_gate.h"
#include "local_engine/generate.h"
#include "local_engine/model.h"
#include "local_engine/run_state.h"
#include "local_engine/tokenizer.h"

namespace sb::engine {

struct EngineOptions {
  int64_t context = 2048;  // KV positions per slot; capped at the model's context_length
  int parallel = 1;        // slots: sequences in flight at once
  int decode_threads = 0;  // sequences stepping the model at once; 0 = hardware concurrency
  int max_queued = 64;     // requests that may wait for a slot; >= 0
};

// generate() refused a request because max_queued requests already wait for a slot.
class QueueFullError : public std::runtime_error {
 public:
  explicit QueueFullError(int max_queued);
};

class EngineServer {
 public:
  // Builds the tokenizer from the model's file and allocates the slots. Throws
  // std::invalid_argument for parallel < 1, context < 2 or max_queued < 0, and
  // std::runtime_error for a model without a usable tokenizer.
  EngineServer(Model model, const EngineOptions& options);

  const Model& model() const { return model_; }
  const Tokenizer& tokenizer() const { return tokenizer_; }
  int64_t context() const { return context_; }  // KV positions of each slot
  int parallel() const { return static_cast<int>(slots_.size()); }
  int decode_threads() const { return decode_threads_; }

  // Runs one request to the end on the calling thread (see engine::generate for
  // params, callback and errors; the context is context()). The callback runs on the
  // calling thread; returning false cancels. Throws QueueFullError when the queue is full.
  GenerateResult generate(std::span<const TokenId> prompt, const GenerateParams& params,
                          const OnToken& on_token = {});

  int queued() const;  // requests waiting for a slot now
  int active() const;  // requests holding a slot now

 private:
  // A slot index, waiting in turn; throws QueueFullError.
  size_t take_slot();
  void return_slot(size_t slot);

  Model model_;
  Tokenizer tokenizer_;
  int64_t context_;
  int decode_threads_;
  int max_queued_;
  std::vector<std::unique_ptr<RunState>> slots_;  // fixed after construction
  DecodeGate gate_;

  mutable std::mutex mutex_;  // guards the fields below
  std::condition_variable slot_freed_;
  std::vector<size_t> free_slots_;
  uint64_t next_ticket_ = 0;   // handed to the next request that has to wait
  uint64_t now_serving_ = 0;   // the waiting ticket whose turn it is to take a slot
  int waiting_ = 0;
};

}  // namespace sb::engine
