// generate() under response_format constraints with stories260K, a model that has never
// seen JSON: whatever it would say, the output must parse and satisfy the schema.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "local_engine/generate.h"
#include "local_engine/json_token_filter.h"
#include "local_engine/model.h"
#include "local_engine/sampler_candidates.h"
#include "local_engine/tokenizer.h"
#include "tests/support/paths.h"

namespace sb::engine {
namespace {

const char* const kSchema = R"({
  "type": "object",
  "properties": {
    "name": {"type": "string"},
    "age": {"type": "integer"},
    "mood": {"enum": ["happy", "sad"]},
    "friends": {"type": "array", "items": {"type": "string"}},
    "pet": {"type": "object", "properties": {"kind": {"type": "string"}}, "required": ["kind"]}
  },
  "required": ["name", "age", "mood", "pet"]
})";

class JsonGenerateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model_ = new Model(Model::load(test::shared_dir() / "models" / "stories260K.gguf"));
    tokenizer_ = new Tokenizer(Tokenizer::from_gguf(model_->file()));
  }
  static void TearDownTestSuite() {
    delete tokenizer_;
    delete model_;
  }

  static GenerateResult run(const std::string& prompt, JsonConstraint constraint, SamplerParams sampling,
                            int32_t max_tokens) {
    GenerateParams p;
    p.sampling = std::move(sampling);
    p.max_tokens = max_tokens;
    p.json_constraint = std::move(constraint);
    return generate(*model_, *tokenizer_, tokenizer_->tokenize(prompt, true, true), p);
  }

  static SamplerParams sampling(float temperature, uint64_t seed) {
    SamplerParams p;
    p.temperature = temperature;
    p.seed = seed;
    return p;
  }

  static void expect_person(const nlohmann::json& v) {
    ASSERT_TRUE(v.is_object()) << v.dump();
    ASSERT_TRUE(v.contains("name") && v["name"].is_string()) << v.dump();
    ASSERT_TRUE(v.contains("age") && v["age"].is_number_integer()) << v.dump();
    ASSERT_TRUE(v.contains("mood")) << v.dump();
    EXPECT_TRUE(v["mood"] == "happy" || v["mood"] == "sad") << v.dump();
    ASSERT_TRUE(v.contains("pet") && v["pet"].is_object() && v["pet"].contains("kind")) << v.dump();
    EXPECT_TRUE(v["pet"]["kind"].is_string()) << v.dump();
    for (const auto& [key, value] : v.items()) {
      EXPECT_TRUE(key == "name" || key == "age" || key == "mood" || key == "friends" || key == "pet") << key;
      if (key == "friends") {
        ASSERT_TRUE(value.is_array());
        for (const auto& f : value) EXPECT_TRUE(f.is_string());
      }
    }
  }

  static Model* model_;
  static Tokenizer* tokenizer_;
};

Model* JsonGenerateTest::model_ = nullptr;
Tokenizer* JsonGenerateTest::tokenizer_ = nullptr;

TEST_F(JsonGenerateTest, GreedyJsonObjectParses) {
  const GenerateResult r = run("Once upon a time", JsonConstraint::object(), SamplerParams::greedy(), 64);
  EXPECT_EQ(r.stop_reason, StopReason::EndOfGeneration) << r.text;
  const auto v = nlohmann::json::parse(r.text);
  EXPECT_TRUE(v.is_object()) << r.text;
  EXPECT_LE(r.tokens.size(), 64u);
}

TEST_F(JsonGenerateTest, GreedySchemaOutputParsesAndConforms) {
  for (const char* prompt : {"Once upon a time", "Lily had a dog.", "{"}) {
    SCOPED_TRACE(prompt);
    const GenerateResult r = run(prompt, JsonConstraint::from_schema(kSchema), SamplerParams::greedy(), 96);
    EXPECT_EQ(r.stop_reason, StopReason::EndOfGeneration) << r.text;
    expect_person(nlohmann::json::parse(r.text));
  }
}

TEST_F(JsonGenerateTest, SampledOutputParsesForEverySeedAndTemperature) {
  for (const float temperature : {0.5f, 1.0f, 1.5f}) {
    for (uint64_t seed = 1; seed <= 4; ++seed) {
      SCOPED_TRACE("temperature " + std::to_string(temperature) + " seed " + std::to_string(seed));
      const GenerateResult obj = run("Tom saw a", JsonConstraint::object(), sampling(temperature, seed), 48);
      EXPECT_TRUE(nlohmann::json::parse(obj.text).is_object()) << obj.text;
      const GenerateResult person = run("Tom saw a", JsonConstraint::from_schema(kSchema), sampling(temperature, seed), 80);
      expect_person(nlohmann::json::parse(person.text));
    }
  }
}

TEST_F(JsonGenerateTest, ValueIsClosedWithinATightTokenBudget) {
  // The shortest conforming text is 50 bytes; the value must still close in 56 tokens.
  const JsonConstraint constraint = JsonConstraint::from_schema(kSchema);
  ASSERT_EQ(constraint.shortest_completion(), 50u);
  const GenerateResult r = run("Once upon a time", constraint, sampling(1.0f, 7), 56);
  EXPECT_LE(r.tokens.size(), 56u);
  expect_person(nlohmann::json::parse(r.text));
}

TEST_F(JsonGenerateTest, TopLevelSchemaTypesFinish) {
  const GenerateResult s = run("Once", JsonConstraint::from_schema(R"({"enum": ["yes", "no"]})"),
                               SamplerParams::greedy(), 16);
  const auto answer = nlohmann::json::parse(s.text);  // may begin with a space piece
  EXPECT_TRUE(answer == "yes" || answer == "no") << s.text;
  EXPECT_EQ(s.stop_reason, StopReason::EndOfGeneration);
  const GenerateResult list = run("Once", JsonConstraint::from_schema(R"({"type": "array", "items": {"type": "boolean"}})"),
                                  SamplerParams::greedy(), 32);
  const auto v = nlohmann::json::parse(list.text);
  ASSERT_TRUE(v.is_array()) << list.text;
  for (const auto& b : v) EXPECT_TRUE(b.is_boolean());
}

TEST_F(JsonGenerateTest, FilterRefusesEndOfGenerationUntilComplete) {
  const TokenId eos = tokenizer_->vocab().eos();
  ASSERT_NE(eos, kNoToken);
  JsonTokenFilter filter(*tokenizer_, JsonConstraint::object());
  EXPECT_FALSE(filter.allows(eos));
  const TokenId open = tokenizer_->vocab().byte_token('{');
  ASSERT_NE(open, kNoToken);
  EXPECT_TRUE(filter.allows(open));
  filter.accept(open);
  EXPECT_FALSE(filter.allows(open));  // a key must come first
  const TokenId close = tokenizer_->vocab().byte_token('}');
  filter.accept(close);
  EXPECT_TRUE(filter.finished());
  EXPECT_TRUE(filter.allows(eos));
}

TEST(SamplerFilter, GreedyTakesTheBestAllowedTokenAndAsksAboutFew) {
  std::vector<float> logits(5000);
  for (size_t i = 0; i < logits.size(); ++i) logits[i] = static_cast<float>(i % 977) * 0.01f;
  struct EveryTenth : TokenFilter {
    mutable int asked = 0;
    bool allows(int32_t token) const override {
      ++asked;
      return token % 10 == 3;
    }
  } filter;
  Sampler greedy(SamplerParams::greedy());
  const int32_t token = greedy.sample(logits, &filter);
  EXPECT_EQ(token % 10, 3);
  float best = -1.0f;
  int32_t expected = -1;
  for (size_t i = 0; i < logits.size(); ++i)
    if (i % 10 == 3 && logits[i] > best) best = logits[i], expected = static_cast<int32_t>(i);
  EXPECT_EQ(token, expected);
  EXPECT_LE(filter.asked, 64);
}

TEST(SamplerFilter, SamplingDrawsOnlyAllowedTokens) {
  const std::vector<float> logits = {5.0f, 4.0f, 3.0f, 2.0f, 1.0f, 0.0f};
  struct OddOnly : TokenFilter {
    bool allows(int32_t token) const override { return token % 2 == 1; }
  } odd;
  SamplerParams p;
  p.temperature = 2.0f;
  p.top_k = 0;
  p.top_p = 1.0f;
  p.min_p = 0.0f;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    p.seed = seed;
    Sampler s(p);
    EXPECT_EQ(s.sample(logits, &odd) % 2, 1);
  }
  struct Nothing : TokenFilter {
    bool allows(int32_t) const override { return false; }
  } nothing;
  Sampler s(p);
  EXPECT_THROW(s.sample(logits, &nothing), std::runtime_error);
}

TEST(SamplerFilter, KeepAllowedKeepsTheBestAllowedInOrder) {
  Candidates c = Candidates::from_logits(std::vector<float>{1.0f, 9.0f, 3.0f, 7.0f, 5.0f});
  keep_allowed(c, 2, [](int32_t t) { return t != 1; });
  ASSERT_EQ(c.items.size(), 2u);
  EXPECT_EQ(c.items[0].token, 3);
  EXPECT_EQ(c.items[1].token, 4);
  EXPECT_TRUE(c.sorted);
}

}  // namespace
}  // namespace sb::engine
