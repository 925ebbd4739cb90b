#include "local_engine/generate.h"

#include <algorithm>
#include <stdexcept>

#include "local_engine/json_token_filter.h"
#include "local_engine/model_forward.h"
#include "local_engine/run_state.h"
#include "local_engine/stop_strings.h"
#include "local_engine/tokenizer_stream.h"

namespace sb::engine {
namespace {

void check_request(std::span<const TokenId> prompt, const GenerateParams& p) {
  if (prompt.empty()) throw std::invalid_argument("generate: empty prompt");
  if (p.max_tokens <= 0)
    throw std::invalid_argument("generate: max_tokens must be positive, got " + std::to_string(p.max_tokens));
}

void check_room(std::span<const TokenId> prompt, int64_t n_ctx) {
  if (static_cast<int64_t>(prompt.size()) >= n_ctx)
    throw std::invalid_argument("generate: prompt of " + std::to_string(prompt.size()) +
                                " tokens leaves no room in a context of " + std::to_string(n_ctx));
}

int64_t context_size(const Model& model, std::span<const TokenId> prompt, const GenerateParams& p) {
  const int64_t wanted = p.n_ctx > 0 ? p.n_ctx : static_cast<int64_t>(prompt.size()) + p.max_tokens;
  const int64_t n_ctx = std::min(wanted, model.config().context_length);
  check_room(prompt, n_ctx);
  return n_ctx;
}

// Routes text from the detokenizer through the stop strings to the result and callback.
class TextStream {
 public:
  TextStream(const Tokenizer& tokenizer, const GenerateParams& p, const OnToken& on_token,
             GenerateResult& result)
      : detokenizer_(tokenizer), stops_(p.stop_strings), on_token_(on_token), result_(result) {}

  // false: stop (a stop string was found or the callback cancelled).
  bool push(TokenId token) { return emit(token, stops_.push(detokenizer_.push(token))); }

  void finish() {
    std::string text = stops_.push(detokenizer_.flush());
    text += stops_.flush();
    if (!text.empty()) emit(kNoToken, text);
  }

  bool hit_stop_string() const { return stops_.stopped(); }
  bool cancelled() const { return cancelled_; }

 private:
  bool emit(TokenId token, const std::string& text) {
    result_.text += text;
    if (on_token_ && !on_token_(token, text)) cancelled_ = true;
    return !cancelled_ && !stops_.stopped();
  }

  Detokenizer detokenizer_;
  StopStringMatcher stops_;
  const OnToken& on_token_;
  GenerateResult& result_;
  bool cancelled_ = false;
};

}  // namespace

GenerateResult generate(const Model& model, const Tokenizer& tokenizer,
                        std::span<const TokenId> prompt, const GenerateParams& params,
                        const OnToken& on_token) {
  check_request(prompt, params);
  RunState state(model.config(), context_size(model, prompt, params));
  return generate(model, tokenizer, state, prompt, params, on_token);
}

GenerateResult generate(const Model& model, const Tokenizer& tokenizer, RunState& state,
                        std::span<const TokenId> prompt, const GenerateParams& params,
                        const OnToken& on_token) {
  check_request(prompt, params);
  check_room(prompt, state.kv.n_ctx());
  Sampler sampler(params.sampling);
  GenerateResult result;
  TextStream stream(tokenizer, params, on_token, result);
  std::optional<JsonTokenFilter> json;
  if (params.json_constraint) json.emplace(tokenizer, *params.json_constraint);

  std::span<const float> logits;
  int64_t pos = 0;
  const Pass prompt_pass = pass_for_batch(prompt.size());
  for (TokenId token : prompt) logits = forward(model, state, token, pos++, prompt_pass);
  sampler.observe_prompt(prompt);

  result.stop_reason = StopReason::MaxTokens;
  while (static_cast<int32_t>(result.tokens.size()) < params.max_tokens) {
    if (json) {
      // This token and, while positions last, one per position after it.
      const int64_t by_tokens = params.max_tokens - static_cast<int64_t>(result.tokens.size());
      json->set_tokens_left(static_cast<size_t>(std::min(by_tokens, state.kv.n_ctx() - pos + 1)));
    }
    const TokenId token = sampler.sample(logits, json ? &*json : nullptr);
    if (params.stop_at_end_of_generation && tokenizer.vocab().is_eog(token)) {
      result.stop_reason = StopReason::EndOfGeneration;
      break;
    }
    sampler.accept(token);
    result.tokens.push_back(token);
    if (json) json->accept(token);
    if (!stream.push(token)) {
      result.stop_reason = stream.hit_stop_string() ? StopReason::StopString : StopReason::Cancelled;
      break;
    }
    if (json && json->finished()) {
      result.stop_reason = StopReason::EndOfGeneration;
      break;
    }
    if (static_cast<int32_t>(result.tokens.size()) == params.max_tokens) break;
    if (pos == state.kv.n_ctx()) {
      result.stop_reason = StopReason::ContextFull;
      break;
    }
    logits = forward(model, state, token, pos++);
  }
  if (!stream.hit_stop_string() && !stream.cancelled()) stream.finish();
  return result;
}

}  // namespace sb::engine
