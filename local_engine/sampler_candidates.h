#pragma once
// The candidate list a sampler chain works on (llama.cpp's llama_token_data_array) and
// the transforms of the chain, each a free function with llama.cpp's semantics.
//
// Contract: transforms keep at least one candidate, never reorder except where they say
// they sort (descending logit, ties by ascending token id, so results are deterministic),
// and leave `probability` stale unless they say they compute it.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace sb::engine {

struct TokenCandidate {
  int32_t token;
  float logit;
  float probability;  // valid only after softmax()
};

struct Candidates {
  std::vector<TokenCandidate> items;  // [n_candidates], initially one per vocab entry
  bool sorted = false;                // items in descending logit order

  // One candidate per logit, token id = index.
  static Candidates from_logits(std::span<const float> logits);
};

// Index of the highest logit (lowest token id among equal ones).
int32_t argmax_token(const Candidates& c);

// Adds bias[i].second to the logit of token bias[i].first (ids outside the list ignored).
void apply_logit_bias(Candidates& c, std::span<const std::pair<int32_t, float>> bias);

// Repetition (llama.cpp / CTRL): a token seen in `recent_counts` gets its logit divided
// by `repeat` when positive, multiplied when not. Frequency/presence (OpenAI): logit -=
// count * frequency + (count > 0) * presence, counts from `generated_counts`.
// counts are indexed by token id ([vocab] or shorter; missing ids count 0).
void apply_repetition_penalty(Candidates& c, std::span<const int32_t> recent_counts, float repeat);
void apply_frequency_presence_penalty(Candidates& c, std::span<const int32_t> generated_counts,
                                      float frequency, float presence);

// Keeps the `max_kept` highest candidates that `allowed` accepts (all of them when fewer),
// sorted. The best 64 candidates are offered to `allowed` in descending order and the
// search stops once max_kept are found; only when they are not enough is every remaining
// candidate asked, so `allowed` should refuse most tokens cheaply.
// May leave the list empty.
void keep_allowed(Candidates& c, size_t max_kept, const std::function<bool(int32_t)>& allowed);

// Sorts and keeps the k highest (k <= 0 or k >= size: sorts only).
void top_k(Candidates& c, int32_t k);
// Softmax over the candidates (sorted afterwards); fills `probability`.
void softmax(Candidates& c);
// Keeps the smallest prefix (by descending probability) whose mass reaches p. p >= 1: no-op.
void top_p(Candidates& c, float p);
// Keeps candidates whose probability is at least min_p times the highest. min_p <= 0: no-op.
void min_p(Candidates& c, float min_p);
// Divides logits by temperature (> 0).
void apply_temperature(Candidates& c, float temperature);
// Draws a token from softmax(logits) with `uniform` in [0, 1).
int32_t sample_from_distribution(Candidates& c, double uniform);

}  // namespace sb::engine
