#pragma once
// Picks the next token from a logit vector, one Sampler per sequence.
//
// The chain follows llama.cpp's default order:
//   logit bias -> repetition penalty -> frequency/presence penalty
//   -> (temperature <= 0: argmax)  or  top-k -> top-p -> min-p -> temperature -> draw.
// The repetition penalty (llama.cpp / CTRL) covers the last `repeat_last_n` tokens the
// sampler has seen, prompt included; frequency and presence penalties (OpenAI) count the
// generated tokens only. Each Sampler owns its random state: equal params (seed included)
// and equal inputs give equal tokens; no global RNG is touched.
#include <cstdint>
#include <deque>
#include <random>
#include <span>
#include <utility>
#include <vector>

namespace sb::engine {

struct SamplerParams {
  float temperature = 0.8f;        // <= 0: greedy
  int32_t top_k = 40;              // <= 0: off
  float top_p = 0.95f;             // 1: off; in [0, 1]
  float min_p = 0.05f;             // 0: off; in [0, 1]
  float repeat_penalty = 1.0f;     // 1: off; > 0
  int32_t repeat_last_n = 64;      // window of the repetition penalty; >= 0
  float frequency_penalty = 0.0f;  // subtracted once per earlier occurrence
  float presence_penalty = 0.0f;   // subtracted once if the token occurred
  std::vector<std::pair<int32_t, float>> logit_bias;  // (token, added to its logit)
  uint64_t seed = 0;

  // Greedy decoding with no penalties: the reference engine's argmax.
  static SamplerParams greedy();
};

// Which tokens may be sampled next (a grammar, a JSON constraint). The sampler asks only
// about the candidates it needs, highest logit first, so allows() may be costly.
class TokenFilter {
 public:
  virtual ~TokenFilter() = default;
  virtual bool allows(int32_t token) const = 0;
};

class Sampler {
 public:
  // Throws std::invalid_argument naming the field when a value is out of range or NaN.
  explicit Sampler(SamplerParams params);

  // Tokens already in the context (the prompt): they feed the repetition window only.
  void observe_prompt(std::span<const int32_t> tokens);
  // Chooses a token from `logits` ([vocab]); does not record it (call accept()).
  // With a filter, refused tokens are as if their logit were -inf (applied after the
  // penalties, before top-k); only the best top_k allowed ones (one when greedy) are
  // looked for. Throws std::runtime_error when the filter allows no token at all.
  int32_t sample(std::span<const float> logits, const TokenFilter* filter = nullptr);
  // Records a generated token for the penalties.
  void accept(int32_t token);

  const SamplerParams& params() const { return params_; }

 private:
  void remember_recent(int32_t token);
  double next_uniform();  // [0, 1), 53 random bits

  SamplerParams params_;
  std::mt19937_64 rng_;
  std::deque<int32_t> recent_;             // [<= repeat_last_n] token ids, oldest first
  std::vector<int32_t> recent_counts_;     // [max token id seen + 1] occurrences in recent_
  std::vector<int32_t> generated_counts_;  // [max token id generated + 1] occurrences
};

}  // namespace sb::engine
