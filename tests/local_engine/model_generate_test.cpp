#include "local_engine/generate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "local_engine/tokenizer.h"
#include "tests/support/paths.h"

namespace sb::engine {
namespace {

class GenerateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model_ = new Model(Model::load(test::shared_dir() / "models" / "stories260K.gguf"));
    tokenizer_ = new Tokenizer(Tokenizer::from_gguf(model_->file()));
    std::ifstream in(test::shared_dir() / "golden" / "stories260K.jsonl");
    std::string line;
    std::getline(in, line);
    golden_ = new nlohmann::json(nlohmann::json::parse(line));
  }
  static void TearDownTestSuite() {
    delete golden_;
    delete tokenizer_;
    delete model_;
  }

  std::vector<TokenId> prompt() const {
    return tokenizer_->tokenize((*golden_)["prompt"].get<std::string>(), true, true);
  }
  static GenerateParams greedy(int32_t max_tokens) {
    GenerateParams p;
    p.sampling = SamplerParams::greedy();
    p.max_tokens = max_tokens;
    return p;
  }

  static Model* model_;
  static Tokenizer* tokenizer_;
  static nlohmann::json* golden_;
};

Model* GenerateTest::model_ = nullptr;
Tokenizer* GenerateTest::tokenizer_ = nullptr;
nlohmann::json* GenerateTest::golden_ = nullptr;

TEST_F(GenerateTest, GreedyContinuationAndTextMatchTheReference) {
  ASSERT_EQ(prompt(), (*golden_)["prompt_tokens"].get<std::vector<TokenId>>());
  const auto expected = (*golden_)["greedy_tokens"].get<std::vector<TokenId>>();
  std::string streamed;
  const GenerateResult r = generate(*model_, *tokenizer_, prompt(), greedy(96),
                                    [&](TokenId, std::string_view text) {
                                      streamed += text;
                                      return true;
                                    });
  EXPECT_EQ(r.tokens, expected);
  EXPECT_EQ(r.stop_reason, StopReason::MaxTokens);
  EXPECT_EQ(r.text, (*golden_)["greedy_text"].get<std::string>());
  EXPECT_EQ(streamed, r.text);
}

TEST_F(GenerateTest, StopStringEndsGenerationAndIsNotEmitted) {
  GenerateParams p = greedy(96);
  p.stop_strings = {"excited to see", "never appears"};
  const GenerateResult r = generate(*model_, *tokenizer_, prompt(), p);
  EXPECT_EQ(r.text, ". He was very ");
  EXPECT_EQ(r.stop_reason, StopReason::StopString);
  // Generation stopped at the token that completed the stop string.
  const auto expected = (*golden_)["greedy_tokens"].get<std::vector<TokenId>>();
  ASSERT_FALSE(r.tokens.empty());
  ASSERT_LE(r.tokens.size(), expected.size());
  EXPECT_TRUE(std::equal(r.tokens.begin(), r.tokens.end(), expected.begin()));
  std::string before_last;
  for (size_t i = 0; i + 1 < r.tokens.size(); ++i) before_last += tokenizer_->token_to_piece(r.tokens[i], false);
  const std::string all = before_last + std::string(tokenizer_->token_to_piece(r.tokens.back(), false));
  EXPECT_EQ(before_last.find("excited to see"), std::string::npos);
  EXPECT_NE(all.find("excited to see"), std::string::npos);
}

TEST_F(GenerateTest, CallbackCanCancelAndMaxTokensLimits) {
  int calls = 0;
  const GenerateResult cancelled = generate(*model_, *tokenizer_, prompt(), greedy(50),
                                            [&](TokenId, std::string_view) { return ++calls < 3; });
  EXPECT_EQ(cancelled.tokens.size(), 3u);
  EXPECT_EQ(cancelled.stop_reason, StopReason::Cancelled);

  const GenerateResult limited = generate(*model_, *tokenizer_, prompt(), greedy(5));
  EXPECT_EQ(limited.tokens.size(), 5u);
  EXPECT_EQ(limited.stop_reason, StopReason::MaxTokens);
}

TEST_F(GenerateTest, SeededSamplingIsReproducible) {
  GenerateParams p;
  p.max_tokens = 24;
  p.sampling.temperature = 1.0f;
  p.sampling.seed = 1234;
  const GenerateResult a = generate(*model_, *tokenizer_, prompt(), p);
  const GenerateResult b = generate(*model_, *tokenizer_, prompt(), p);
  EXPECT_EQ(a.tokens, b.tokens);
  EXPECT_EQ(a.text, b.text);
  p.sampling.seed = 4321;
  EXPECT_NE(generate(*model_, *tokenizer_, prompt(), p).tokens, a.tokens);
}

TEST_F(GenerateTest, ContextLimitStopsGeneration) {
  GenerateParams p = greedy(50);
  p.n_ctx = static_cast<int64_t>(prompt().size()) + 4;
  const GenerateResult r = generate(*model_, *tokenizer_, prompt(), p);
  EXPECT_EQ(r.stop_reason, StopReason::ContextFull);
  EXPECT_EQ(r.tokens.size(), 5u);  // the last one is sampled from the last position's logits
}

TEST_F(GenerateTest, RejectsBadArguments) {
  EXPECT_THROW(generate(*model_, *tokenizer_, {}, greedy(5)), std::invalid_argument);
  EXPECT_THROW(generate(*model_, *tokenizer_, prompt(), greedy(0)), std::invalid_argument);
  GenerateParams p = greedy(5);
  p.n_ctx = 3;
  EXPECT_THROW(generate(*model_, *tokenizer_, prompt(), p), std::invalid_argument);
}

}  // namespace
}  // namespace sb::engine
