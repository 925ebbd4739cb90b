#include "local_engine/generate.h"

#include <algorithm>
#include <stdexcept>

#include "local_engine/model_forward.h"
#include "local_engine/run_state.h"
#include "local_engine/stop_strings.h"
#include "local_engine/tokenizer_stream.h"

namespace sb::engine {
namespace {

int64_t context_size(const Model& model, std::span<const TokenId> prompt, const GenerateParams& p) {
  const int64_t wanted = p.n_ctx > 0 ? p.n_ctx : static_cast<int64_t>(prompt.size()) + p.max_tokens;
  const int64_t n_ctx = std::min(wanted, model.config().context_length);
  if (static_cast<int64_t>(prompt.size()) >= n_ctx)
    throw std::invalid_argument("generate: prompt of " + std::to_string(prompt.size()) +
                                " tokens leaves no room in a context of " + std::to_string(n_ctx));
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
  if (prompt.empty()) throw std::invalid_argument("generate: empty prompt");
  if (params.max_tokens <= 0)
    throw std::invalid_argument("generate: max_tokens must be positive, got " +
                                std::to_string(params.max_tokens));
  Sampler sampler(params.sampling);
  RunState state(model.config(), context_size(model, prompt, params));
  GenerateResult result;
  TextStream stream(tokenizer, params, on_token, result);

  std::span<const float> logits;
  int64_t pos = 0;
  for (TokenId token : prompt) logits = forward(model, state, token, pos++);
  sampler.observe_prompt(prompt);

  result.stop_reason = StopReason::MaxTokens;
  while (static_cast<int32_t>(result.tokens.size()) < params.max_tokens) {
    const TokenId token = sampler.sample(logits);
    if (params.stop_at_end_of_generation && tokenizer.vocab().is_eog(token)) {
      result.stop_reason = StopReason::EndOfGeneration;
      break;
    }
    sampler.accept(token);
    result.tokens.push_back(token);
    if (!stream.push(token)) {
      result.stop_reason = stream.hit_stop_string() ? StopReason::StopString : StopReason::Cancelled;
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
