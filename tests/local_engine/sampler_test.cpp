#include "local_engine/sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "local_engine/sampler_candidates.h"

namespace sb::engine {
namespace {

std::vector<int32_t> tokens_of(const Candidates& c) {
  std::vector<int32_t> out;
  for (const auto& item : c.items) out.push_back(item.token);
  return out;
}

// Logits whose softmax is exactly `probs`.
std::vector<float> logits_for(const std::vector<float>& probs) {
  std::vector<float> out;
  for (float p : probs) out.push_back(std::log(p));
  return out;
}

SamplerParams plain_sampling(float temperature) {
  SamplerParams p;
  p.temperature = temperature;
  p.top_k = 0;
  p.top_p = 1.0f;
  p.min_p = 0.0f;
  return p;
}

TEST(SamplerCandidates, SoftmaxMatchesTheFormulaAndSorts) {
  const std::vector<float> logits = {1.0f, 3.0f, 2.0f};
  Candidates c = Candidates::from_logits(logits);
  softmax(c);
  const double sum = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  EXPECT_EQ(tokens_of(c), (std::vector<int32_t>{1, 2, 0}));
  EXPECT_NEAR(c.items[0].probability, std::exp(3.0) / sum, 1e-6);
  EXPECT_NEAR(c.items[1].probability, std::exp(2.0) / sum, 1e-6);
  EXPECT_NEAR(c.items[2].probability, std::exp(1.0) / sum, 1e-6);
}

TEST(SamplerCandidates, TopKKeepsTheKHighestWithTiesByTokenId) {
  const std::vector<float> logits = {0.5f, 2.0f, 2.0f, -1.0f, 1.0f};
  Candidates c = Candidates::from_logits(logits);
  top_k(c, 3);
  EXPECT_EQ(tokens_of(c), (std::vector<int32_t>{1, 2, 4}));
  Candidates all = Candidates::from_logits(logits);
  top_k(all, 0);
  EXPECT_EQ(tokens_of(all), (std::vector<int32_t>{1, 2, 4, 0, 3}));
}

TEST(SamplerCandidates, TopPKeepsTheSmallestPrefixReachingP) {
  const auto logits = logits_for({0.2f, 0.5f, 0.3f});
  auto kept = [&](float p) {
    Candidates c = Candidates::from_logits(logits);
    top_p(c, p);
    return tokens_of(c);
  };
  EXPECT_EQ(kept(0.4f), (std::vector<int32_t>{1}));
  EXPECT_EQ(kept(0.7f), (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(kept(0.81f), (std::vector<int32_t>{1, 2, 0}));
  EXPECT_EQ(kept(1.0f), (std::vector<int32_t>{0, 1, 2}));  // off: untouched order
}

TEST(SamplerCandidates, MinPDropsTokensBelowAFractionOfTheBest) {
  const auto logits = logits_for({0.2f, 0.5f, 0.3f});
  Candidates c = Candidates::from_logits(logits);
  min_p(c, 0.5f);  // threshold 0.25
  EXPECT_EQ(tokens_of(c), (std::vector<int32_t>{1, 2}));
  Candidates strict = Candidates::from_logits(logits);
  min_p(strict, 1.0f);
  EXPECT_EQ(tokens_of(strict), (std::vector<int32_t>{1}));
}

TEST(SamplerCandidates, TemperatureDividesLogits) {
  const std::vector<float> logits = {1.0f, -3.0f};
  Candidates c = Candidates::from_logits(logits);
  apply_temperature(c, 0.5f);
  EXPECT_FLOAT_EQ(c.items[0].logit, 2.0f);
  EXPECT_FLOAT_EQ(c.items[1].logit, -6.0f);
}

TEST(SamplerCandidates, RepetitionPenaltyShrinksPositiveAndGrowsNegativeLogits) {
  const std::vector<float> logits = {2.0f, -2.0f, 3.0f};
  const std::vector<int32_t> counts = {1, 4};  // token 2 unseen (beyond the span)
  Candidates c = Candidates::from_logits(logits);
  apply_repetition_penalty(c, counts, 2.0f);
  EXPECT_FLOAT_EQ(c.items[0].logit, 1.0f);
  EXPECT_FLOAT_EQ(c.items[1].logit, -4.0f);
  EXPECT_FLOAT_EQ(c.items[2].logit, 3.0f);
}

TEST(SamplerCandidates, FrequencyAndPresencePenaltiesFollowOpenAI) {
  const std::vector<float> logits = {1.0f, 1.0f, 1.0f};
  const std::vector<int32_t> counts = {0, 1, 3};
  Candidates c = Candidates::from_logits(logits);
  apply_frequency_presence_penalty(c, counts, 0.5f, 0.25f);
  EXPECT_FLOAT_EQ(c.items[0].logit, 1.0f);
  EXPECT_FLOAT_EQ(c.items[1].logit, 1.0f - 0.5f - 0.25f);
  EXPECT_FLOAT_EQ(c.items[2].logit, 1.0f - 1.5f - 0.25f);
}

TEST(SamplerCandidates, LogitBiasAddsToNamedTokensAfterReordering) {
  const std::vector<float> logits = {1.0f, 2.0f, 3.0f};
  Candidates c = Candidates::from_logits(logits);
  top_k(c, 0);  // sorted: 2, 1, 0
  const std::vector<std::pair<int32_t, float>> bias = {{0, 5.0f}, {7, 1.0f}};
  apply_logit_bias(c, bias);
  EXPECT_EQ(argmax_token(c), 0);
  EXPECT_FALSE(c.sorted);
}

TEST(SamplerCandidates, DrawFollowsTheCumulativeDistribution) {
  const auto logits = logits_for({0.25f, 0.75f});
  auto draw = [&](double u) {
    Candidates c = Candidates::from_logits(logits);
    return sample_from_distribution(c, u);
  };
  EXPECT_EQ(draw(0.0), 1);  // sorted: token 1 (0.75) first
  EXPECT_EQ(draw(0.74), 1);
  EXPECT_EQ(draw(0.76), 0);
  EXPECT_EQ(draw(0.999999), 0);
}

TEST(Sampler, GreedyTakesTheArgmaxAfterBiasAndPenalties) {
  const std::vector<float> logits = {0.1f, 2.0f, 1.9f, -1.0f};
  Sampler greedy(SamplerParams::greedy());
  EXPECT_EQ(greedy.sample(logits), 1);

  SamplerParams biased = SamplerParams::greedy();
  biased.logit_bias = {{3, 10.0f}};
  EXPECT_EQ(Sampler(biased).sample(logits), 3);

  SamplerParams penalized = SamplerParams::greedy();
  penalized.presence_penalty = 0.5f;
  Sampler s(penalized);
  s.accept(1);
  EXPECT_EQ(s.sample(logits), 2);
}

TEST(Sampler, TinyTemperatureAndTopKOneEqualGreedy) {
  std::vector<float> logits(100);
  for (size_t i = 0; i < logits.size(); ++i) logits[i] = static_cast<float>(i * 37 % 100) / 10.0f;
  const int32_t expected = Sampler(SamplerParams::greedy()).sample(logits);

  Sampler cold(plain_sampling(1e-3f));  // logits 0.1 apart: others get e^-100
  SamplerParams k1 = plain_sampling(1.5f);
  k1.top_k = 1;
  k1.seed = 99;
  Sampler top1(k1);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(cold.sample(logits), expected);
    EXPECT_EQ(top1.sample(logits), expected);
  }
}

TEST(Sampler, SameSeedGivesSameTokensAndDifferentSeedsDiffer) {
  std::vector<float> logits(64, 0.0f);  // uniform: every draw is pure chance
  auto run = [&](uint64_t seed) {
    SamplerParams p = plain_sampling(1.0f);
    p.seed = seed;
    Sampler s(p);
    std::vector<int32_t> out;
    for (int i = 0; i < 40; ++i) out.push_back(s.sample(logits));
    return out;
  };
  EXPECT_EQ(run(42), run(42));
  EXPECT_NE(run(42), run(43));
}

TEST(Sampler, DrawFrequenciesMatchTheDistribution) {
  const auto logits = logits_for({0.1f, 0.6f, 0.3f});
  SamplerParams p = plain_sampling(1.0f);
  p.seed = 7;
  Sampler s(p);
  std::vector<int> hits(3, 0);
  const int n = 20000;
  for (int i = 0; i < n; ++i) ++hits[s.sample(logits)];
  EXPECT_NEAR(hits[0] / double(n), 0.1, 0.01);
  EXPECT_NEAR(hits[1] / double(n), 0.6, 0.015);
  EXPECT_NEAR(hits[2] / double(n), 0.3, 0.015);
}

TEST(Sampler, RepetitionWindowCoversPromptAndForgetsOldTokens) {
  const std::vector<float> logits = {2.0f, 1.5f, 0.0f};
  SamplerParams p = SamplerParams::greedy();
  p.repeat_penalty = 2.0f;
  p.repeat_last_n = 2;
  Sampler s(p);
  const std::vector<int32_t> prompt = {0, 2};
  s.observe_prompt(prompt);
  EXPECT_EQ(s.sample(logits), 1);  // token 0 halved to 1.0
  s.accept(2);
  s.accept(2);  // window is now {2, 2}: token 0 forgotten
  EXPECT_EQ(s.sample(logits), 0);
}

TEST(Sampler, RejectsOutOfRangeParamsNamingTheField) {
  auto message = [](SamplerParams p) {
    try {
      Sampler s(std::move(p));
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  SamplerParams p;
  p.top_p = 1.5f;
  EXPECT_EQ(message(p), "sampler: top_p must be in [0, 1]");
  p = {};
  p.repeat_penalty = 0.0f;
  EXPECT_EQ(message(p), "sampler: repeat_penalty must be a positive number");
  p = {};
  p.temperature = std::nanf("");
  EXPECT_EQ(message(p), "sampler: temperature is NaN");
  p = {};
  p.logit_bias = {{-3, 1.0f}};
  EXPECT_EQ(message(p), "sampler: logit_bias has a negative token id -3");
  Sampler ok{SamplerParams{}};
  EXPECT_THROW(ok.sample(std::vector<float>{}), std::invalid_argument);
}

}  // namespace
}  // namespace sb::engine
