#include "local_engine/sampler.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "local_engine/sampler_candidates.h"

namespace sb::engine {
namespace {

void require(bool ok, const char* field, const std::string& what) {
  if (!ok) throw std::invalid_argument(std::string("sampler: ") + field + " " + what);
}

void validate(const SamplerParams& p) {
  require(!std::isnan(p.temperature), "temperature", "is NaN");
  require(p.top_p >= 0.0f && p.top_p <= 1.0f, "top_p", "must be in [0, 1]");
  require(p.min_p >= 0.0f && p.min_p <= 1.0f, "min_p", "must be in [0, 1]");
  require(p.repeat_penalty > 0.0f && std::isfinite(p.repeat_penalty), "repeat_penalty",
          "must be a positive number");
  require(p.repeat_last_n >= 0, "repeat_last_n", "must be >= 0");
  require(std::isfinite(p.frequency_penalty), "frequency_penalty", "must be finite");
  require(std::isfinite(p.presence_penalty), "presence_penalty", "must be finite");
  for (const auto& [token, bias] : p.logit_bias) {
    require(token >= 0, "logit_bias", "has a negative token id " + std::to_string(token));
    require(!std::isnan(bias), "logit_bias", "is NaN for token " + std::to_string(token));
  }
}

void count_up(std::vector<int32_t>& counts, int32_t token) {
  if (static_cast<size_t>(token) >= counts.size()) counts.resize(static_cast<size_t>(token) + 1, 0);
  ++counts[token];
}

}  // namespace

SamplerParams SamplerParams::greedy() {
  SamplerParams p;
  p.temperature = 0.0f;
  return p;
}

Sampler::Sampler(SamplerParams params) : params_(std::move(params)), rng_(params_.seed) {
  validate(params_);
}

void Sampler::observe_prompt(std::span<const int32_t> tokens) {
  for (int32_t token : tokens) remember_recent(token);
}

void Sampler::accept(int32_t token) {
  if (token < 0) throw std::invalid_argument("sampler: accept() got token id " + std::to_string(token));
  remember_recent(token);
  count_up(generated_counts_, token);
}

void Sampler::remember_recent(int32_t token) {
  if (params_.repeat_last_n == 0 || token < 0) return;
  if (recent_.size() == static_cast<size_t>(params_.repeat_last_n)) {
    --recent_counts_[recent_.front()];
    recent_.pop_front();
  }
  recent_.push_back(token);
  count_up(recent_counts_, token);
}

double Sampler::next_uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

int32_t Sampler::sample(std::span<const float> logits, const TokenFilter* filter) {
  if (logits.empty()) throw std::invalid_argument("sampler: empty logit vector");
  Candidates c = Candidates::from_logits(logits);
  apply_logit_bias(c, params_.logit_bias);
  apply_repetition_penalty(c, recent_counts_, params_.repeat_penalty);
  apply_frequency_presence_penalty(c, generated_counts_, params_.frequency_penalty,
                                   params_.presence_penalty);
  const bool greedy = params_.temperature <= 0.0f;
  if (filter) {
    const size_t wanted = greedy ? 1 : params_.top_k > 0 ? static_cast<size_t>(params_.top_k) : SIZE_MAX;
    keep_allowed(c, wanted, [filter](int32_t token) { return filter->allows(token); });
    if (c.items.empty()) throw std::runtime_error("sampler: the token filter allows no token");
  }
  if (greedy) return argmax_token(c);
  top_k(c, params_.top_k);
  top_p(c, params_.top_p);
  min_p(c, params_.min_p);
  apply_temperature(c, params_.temperature);
  return sample_from_distribution(c, next_uniform());
}

}  // namespace sb::engine
