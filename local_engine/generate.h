#pragma once
// The decoding loop of one sequence: feed the prompt, then sample, stream and stop.
//
// Text is streamed through the tokenizer's streaming detokenizer (whole UTF-8
// characters only) and a StopStringMatcher (a stop string and what follows it are never
// emitted; text that may begin one is held back until resolved). Generation ends at
// max_tokens, at an end-of-generation token of the vocabulary (EOS, EOT, ...; not
// emitted), at a stop string, when the context is full, or when the callback says so.
// With a json_constraint only tokens that keep the text a valid JSON prefix are sampled,
// and generation ends (EndOfGeneration) as soon as the value is complete; the value is
// closed in time for max_tokens / the context when it has room for the shortest completion.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "local_engine/json_constraint.h"
#include "local_engine/model.h"
#include "local_engine/run_state.h"
#include "local_engine/sampler.h"
#include "local_engine/tokenizer.h"

namespace sb::engine {

struct GenerateParams {
  SamplerParams sampling;
  int32_t max_tokens = 128;               // generated tokens at most; > 0
  std::vector<std::string> stop_strings;  // matched on the generated text
  bool stop_at_end_of_generation = true;  // false: EOS/EOT are sampled like other tokens
  int64_t n_ctx = 0;                      // KV cache positions; 0: prompt + max_tokens,
                                          // capped at the model's context_length
  std::optional<JsonConstraint> json_constraint;  // response_format json_object/json_schema
};

enum class StopReason { MaxTokens, EndOfGeneration, StopString, ContextFull, Cancelled };

struct GenerateResult {
  std::vector<TokenId> tokens;  // generated tokens (without a final EOS/EOT)
  std::string text;             // the emitted text: everything the callback received
  StopReason stop_reason = StopReason::MaxTokens;
};

// Called as text becomes final: `token` is the token just generated (kNoToken for the
// text released when the stream ends) and `text` the text it completed, possibly "".
// Return false to stop generating (StopReason::Cancelled).
using OnToken = std::function<bool(TokenId token, std::string_view text)>;

// Throws std::invalid_argument for an empty prompt, max_tokens <= 0, invalid sampler
// params or a prompt longer than the context; std::out_of_range for token ids outside
// the vocabulary; std::runtime_error when a json_constraint allows no token of the
// vocabulary.
GenerateResult generate(const Model& model, const Tokenizer& tokenizer,
                        std::span<const TokenId> prompt, const GenerateParams& params,
                        const OnToken& on_token = {});

// The same loop on a caller-owned RunState (e.g. a serving slot's preallocated KV cache):
// the context is state.kv.n_ctx() and params.n_ctx is ignored. The state's earlier
// contents are overwritten from position 0, so one state serves request after request.
GenerateResult generate(const Model& model, const Tokenizer& tokenizer, RunState& state,
                        std::span<const TokenId> prompt, const GenerateParams& params,
                        const OnToken& on_token = {});

}  // namespace sb::engine
