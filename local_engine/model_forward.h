#pragma once
// One decoding step of the shared llama-family transformer block (pre-norm RMSNorm,
// RoPE attention with grouped-query KV heads and optional QKV biases, SwiGLU FFN).
#include <cstdint>
#include <span>

#include "local_engine/batch_pass.h"
#include "local_engine/model.h"
#include "local_engine/run_state.h"

namespace sb::engine {

// Feeds `token` at position `pos` and returns the logits [vocab] of the next token (a view
// of state.logits, valid until the next call). Positions 0..pos-1 must already have been
// fed through the same state; feeding pos again overwrites it and everything after it is
// ignored. Throws std::out_of_range for a token outside the vocabulary or pos outside
// [0, state's n_ctx). `pass` is Batch for the tokens of a prompt of two or more tokens
// (pass_for_batch), as the reference evaluates them, Single for one token at a time.
std::span<const float> forward(const Model& model, RunState& state, int32_t token, int64_t pos,
                               Pass pass = Pass::Single);

}  // namespace sb::engine
