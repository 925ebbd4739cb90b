// The remote token estimate against real BPE vocabularies, and cost arithmetic.
#include "policies/decision/cost_estimate.h"

#include <cmath>
#include <fstream>
#include <iostream>

#include <gtest/gtest.h>

#include <algorithm>

#include "local_engine/gguf.h"
#include "local_engine/tokenizer.h"
#include "tests/core/config_test_util.h"
#include "tests/support/paths.h"

namespace sb::policies {
namespace {

struct Calibration {
  double ratio = 0;  // sum(estimate) / sum(actual)
  double mare = 0;   // mean absolute relative error per text
};

Calibration calibrate(const std::string& vocab, const std::string& jsonl, const std::string& field, int limit) {
  auto file = engine::GgufFile::open(sb::test::shared_dir() / "vocab" / vocab);
  auto tokenizer = engine::Tokenizer::from_gguf(file);
  std::ifstream in(sb::test::shared_dir() / jsonl);
  std::string line;
  double estimated = 0, actual = 0, error = 0;
  int n = 0;
  while (n < limit && std::getline(in, line)) {
    const std::string text = nlohmann::json::parse(line)[field].get<std::string>();
    const double a = static_cast<double>(tokenizer.tokenize(text, false, false).size());
    const double e = static_cast<double>(estimate_text_tokens(text));
    estimated += e;
    actual += a;
    error += std::fabs(e - a) / std::max(a, 1.0);
    ++n;
  }
  EXPECT_EQ(n, limit);
  return {estimated / actual, error / n};
}

TEST(CostEstimate, TokenEstimateTracksRealBpeVocabularies) {
  struct Case { std::string vocab, data, field; double max_bias, max_mare; };
  for (const auto& c : std::vector<Case>{{"ggml-vocab-gpt-2.gguf", "routing/routellm_eval.jsonl", "prompt", 0.05, 0.08},
                                         {"ggml-vocab-falcon.gguf", "routing/routellm_eval.jsonl", "prompt", 0.06, 0.09},
                                         {"ggml-vocab-gpt-2.gguf", "policy/pii_public.jsonl", "text", 0.12, 0.10}}) {
    const Calibration cal = calibrate(c.vocab, c.data, c.field, c.data.starts_with("policy") ? 400 : 3000);
    std::cout << "[ estimate ] " << c.vocab << " on " << c.data << ": estimate/actual " << cal.ratio
              << ", mean |error| " << cal.mare << "\n";
    EXPECT_NEAR(cal.ratio, 1.0, c.max_bias) << c.vocab << " " << c.data;
    EXPECT_LT(cal.mare, c.max_mare) << c.vocab << " " << c.data;
  }
}

TEST(CostEstimate, SmallTextsAndFraming) {
  EXPECT_EQ(estimate_text_tokens(""), 0);
  EXPECT_EQ(estimate_text_tokens("hello"), 1);
  EXPECT_EQ(estimate_text_tokens("hello world"), 2);
  EXPECT_EQ(estimate_text_tokens("123456789"), 3);
  ChatRequest r;
  r.messages.push_back({Role::User, {{ContentPart::Kind::Text, "hello world", "", ""}}, "", {}, ""});
  EXPECT_EQ(estimate_input_tokens(r), 3 + 3 + 2);
  // Text parts are estimated joined; an image adds its tile price.
  ChatRequest parts;
  parts.messages.push_back({Role::User,
                            {{ContentPart::Kind::Text, "hello ", "", ""},
                             {ContentPart::Kind::ImageUrl, "", "https://example.com/a.png", "low"},
                             {ContentPart::Kind::Text, "world", "", ""}},
                            "", {}, ""});
  EXPECT_EQ(estimate_input_tokens(parts), 3 + 3 + 2 + 85);
}

// Words are measured eight bytes at a time: every length and every alignment must give
// what the per-word rule says (1 token up to 7 letters, then one per 4 more; a word with
// two or more inner capitals costs one token per 2.5 letters; a two-byte letter continues it).
TEST(CostEstimate, WordsOfEveryLengthAndAlignment) {
  for (size_t lead = 0; lead < 8; ++lead) {
    const std::string prefix(lead, '.');  // `lead` one-token dots, merged 4 at a time
    const int64_t prefix_tokens = static_cast<int64_t>((lead + 3) / 4);
    for (size_t len = 1; len <= 40; ++len) {
      const std::string where = "lead " + std::to_string(lead) + ", length " + std::to_string(len);
      const double words = len <= 7 ? 1.0 : 1.0 + static_cast<double>(len - 7) / 4.0;
      const auto rounded = [](double t) { return static_cast<int64_t>(t + 0.5); };
      const std::string lower(len, 'q');
      EXPECT_EQ(estimate_text_tokens(prefix + lower), prefix_tokens + rounded(words)) << where;
      EXPECT_EQ(estimate_text_tokens(prefix + lower + ". x"), prefix_tokens + rounded(words + 2.0)) << where;
      std::string capitals = lower;  // capitals at 1 and at the last letter: two inner ones
      if (len >= 3) {
        capitals[1] = capitals[len - 1] = 'Q';
        EXPECT_EQ(estimate_text_tokens(prefix + capitals), prefix_tokens + rounded(static_cast<double>(len) / 2.5)) << where;
      }
      // "é" (two bytes) after the first letter continues the word: len + 2 bytes in one word.
      std::string accented = lower;
      accented.insert(std::max<size_t>(1, len / 2), "\xc3\xa9");
      const double accented_words = len + 2 <= 7 ? 1.0 : 1.0 + static_cast<double>(len + 2 - 7) / 4.0;
      EXPECT_EQ(estimate_text_tokens(prefix + accented), prefix_tokens + rounded(accented_words)) << where;
    }
  }
}

TEST(CostEstimate, PricesMaxAndExpectedCost) {
  const auto config = config::parse_config(config::test::config_md_example(), "policies.yaml",
                                           config::test::env_of(config::test::config_md_env()));
  ChatRequest r;
  r.messages.push_back({Role::User, {{ContentPart::Kind::Text, "hello world", "", ""}}, "", {}, ""});
  auto unpriced = estimate_cost(r, estimate_input_tokens(r), "stories", true, config, {});
  EXPECT_FALSE(unpriced.priced);
  EXPECT_EQ(unpriced.max_usd, 0);
  EXPECT_EQ(unpriced.max_output_tokens, kDefaultMaxOutputTokens);

  auto counted = estimate_cost(r, estimate_input_tokens(r), "stories", true, config, [](const std::string& m, const ChatRequest&) {
    return m == "stories" ? std::optional<int64_t>(42) : std::nullopt;
  });
  EXPECT_TRUE(counted.input_tokens_exact);
  EXPECT_EQ(counted.input_tokens, 42);

  r.max_tokens = 100;
  auto gpt = estimate_cost(r, estimate_input_tokens(r), "gpt-4o", false, config, {});
  EXPECT_TRUE(gpt.priced);
  EXPECT_EQ(gpt.input_tokens, 8);
  EXPECT_EQ(gpt.expected_output_tokens, 100);
  EXPECT_NEAR(gpt.max_usd, 8 * 2.5e-6 + 100 * 10e-6, 1e-15);
  EXPECT_NEAR(gpt.expected_usd, gpt.max_usd, 1e-15);
}

}  // namespace
}  // namespace sb::policies
