#include "local_engine/sampler_candidates.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sb::engine {
namespace {

bool higher_first(const TokenCandidate& a, const TokenCandidate& b) {
  return a.logit > b.logit || (a.logit == b.logit && a.token < b.token);
}

void sort_descending(Candidates& c) {
  if (c.sorted) return;
  std::sort(c.items.begin(), c.items.end(), higher_first);
  c.sorted = true;
}

int32_t count_of(std::span<const int32_t> counts, int32_t token) {
  return token >= 0 && static_cast<size_t>(token) < counts.size() ? counts[token] : 0;
}

}  // namespace

Candidates Candidates::from_logits(std::span<const float> logits) {
  Candidates c;
  c.items.resize(logits.size());
  for (size_t i = 0; i < logits.size(); ++i)
    c.items[i] = {static_cast<int32_t>(i), logits[i], 0.0f};
  return c;
}

int32_t argmax_token(const Candidates& c) {
  return std::min_element(c.items.begin(), c.items.end(), higher_first)->token;
}

void apply_logit_bias(Candidates& c, std::span<const std::pair<int32_t, float>> bias) {
  for (const auto& [token, delta] : bias) {
    // Fast path: a fresh list holds token t at index t.
    auto it = token >= 0 && static_cast<size_t>(token) < c.items.size() &&
                      c.items[token].token == token
                  ? c.items.begin() + token
                  : std::find_if(c.items.begin(), c.items.end(),
                                 [&](const TokenCandidate& item) { return item.token == token; });
    if (it == c.items.end()) continue;
    it->logit += delta;
    c.sorted = false;
  }
}

void apply_repetition_penalty(Candidates& c, std::span<const int32_t> recent_counts, float repeat) {
  if (repeat == 1.0f) return;
  for (auto& item : c.items) {
    if (count_of(recent_counts, item.token) == 0) continue;
    item.logit = item.logit <= 0.0f ? item.logit * repeat : item.logit / repeat;
  }
  c.sorted = false;
}

void apply_frequency_presence_penalty(Candidates& c, std::span<const int32_t> generated_counts,
                                      float frequency, float presence) {
  if (frequency == 0.0f && presence == 0.0f) return;
  for (auto& item : c.items) {
    const int32_t count = count_of(generated_counts, item.token);
    if (count == 0) continue;
    item.logit -= static_cast<float>(count) * frequency + presence;
  }
  c.sorted = false;
}

void keep_allowed(Candidates& c, size_t max_kept, const std::function<bool(int32_t)>& allowed) {
  // The best kBestFirst candidates are offered in order (one partial sort, about one
  // comparison per candidate); if that does not find max_kept, the rest are filtered in
  // one pass and only the survivors sorted. A constraint that allows few tokens thus
  // costs one cheap pass over the vocabulary, never a sort of it.
  constexpr size_t kBestFirst = 64;
  std::vector<TokenCandidate> kept;
  auto& items = c.items;
  const auto offer = [&](const TokenCandidate& item) {
    if (allowed(item.token)) kept.push_back(item);
  };
  const size_t head = std::min(items.size(), kBestFirst);
  if (!c.sorted) std::partial_sort(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(head), items.end(), higher_first);
  for (size_t i = 0; i < head && kept.size() < max_kept; ++i) offer(items[i]);
  if (kept.size() < max_kept) {
    const size_t from_head = kept.size();
    if (c.sorted) {
      for (size_t i = head; i < items.size() && kept.size() < max_kept; ++i) offer(items[i]);
    } else {
      std::for_each(items.begin() + static_cast<std::ptrdiff_t>(head), items.end(), offer);
      std::sort(kept.begin() + static_cast<std::ptrdiff_t>(from_head), kept.end(), higher_first);
      if (kept.size() > max_kept) kept.resize(max_kept);
    }
  }
  items = std::move(kept);
  c.sorted = true;
}

void top_k(Candidates& c, int32_t k) {
  const size_t n = c.items.size();
  if (k <= 0 || static_cast<size_t>(k) >= n) {
    sort_descending(c);
    return;
  }
  if (!c.sorted)
    std::partial_sort(c.items.begin(), c.items.begin() + k, c.items.end(), higher_first);
  c.items.resize(static_cast<size_t>(k));
  c.sorted = true;
}

void softmax(Candidates& c) {
  sort_descending(c);
  const float max_logit = c.items.front().logit;
  float sum = 0.0f;
  for (auto& item : c.items) {
    item.probability = std::exp(item.logit - max_logit);
    sum += item.probability;
  }
  for (auto& item : c.items) item.probability /= sum;
}

void top_p(Candidates& c, float p) {
  if (p >= 1.0f) return;
  softmax(c);
  float cumulative = 0.0f;
  for (size_t i = 0; i < c.items.size(); ++i) {
    cumulative += c.items[i].probability;
    if (cumulative >= p) {
      c.items.resize(i + 1);
      return;
    }
  }
}

void min_p(Candidates& c, float min_p) {
  if (min_p <= 0.0f) return;
  // p_i >= min_p * p_max  <=>  logit_i >= max_logit + log(min_p)
  float max_logit = -std::numeric_limits<float>::infinity();
  for (const auto& item : c.items) max_logit = std::max(max_logit, item.logit);
  const float threshold = max_logit + std::log(std::min(min_p, 1.0f));
  std::erase_if(c.items, [&](const TokenCandidate& item) { return item.logit < threshold; });
}

void apply_temperature(Candidates& c, float temperature) {
  for (auto& item : c.items) item.logit /= temperature;
}

int32_t sample_from_distribution(Candidates& c, double uniform) {
  softmax(c);
  double cumulative = 0.0;
  for (const auto& item : c.items) {
    cumulative += item.probability;
    if (uniform < cumulative) return item.token;
  }
  return c.items.back().token;  // rounding left the mass a hair below 1
}

}  // namespace sb::engine
