// The decision semantics of ../shared/CONFIG.md, on its own example configuration.
#include "policies/policy_engine.h"

#include <gtest/gtest.h>

#include "tests/core/config_test_util.h"

namespace sb::policies {
namespace {

using config::Locality;
using config::PrivacyAction;

// A scorer that gives every prompt the same score, so routing tests do not depend on the
// shipped weights.
DifficultyModel constant_difficulty(double score) {
  DifficultyModelParams params;
  params.heads.push_back({"constant", DifficultyModelParams::Link::Identity, 1.0, score, {}});
  params.hashed.assign(kHashBuckets, 0.0f);
  return DifficultyModel(std::move(params));
}

class PolicyEngineTest : public ::testing::Test {
 protected:
  PolicyEngineTest()
      : config_(config::parse_config(config::test::config_md_example(), "policies.yaml",
                                     config::test::env_of(config::test::config_md_env()))),
        engine_(config_, constant_difficulty(0.3)) {
    config::TeamConfig plain;
    plain.name = "clinic_none";  // no privacy settings of its own
    config_.teams.push_back(plain);
  }

  static ChatRequest request(std::string model, std::string user_text, std::string system_text = "") {
    ChatRequest r;
    r.model = std::move(model);
    if (!system_text.empty()) r.messages.push_back({Role::System, {{ContentPart::Kind::Text, system_text, "", ""}}, "", {}, ""});
    r.messages.push_back({Role::User, {{ContentPart::Kind::Text, user_text, "", ""}}, "", {}, ""});
    return r;
  }
  RouteDecision decide(const ChatRequest& r, const std::string& team = "growth",
                       std::optional<PrivacyAction> header = std::nullopt,
                       std::optional<double> headroom = std::nullopt) const {
    return engine_.decide({r, *config_.find_team(team), "dec_test", header, headroom});
  }
  static std::vector<std::string> models(const RouteDecision& d) {
    std::vector<std::string> out;
    for (const auto& t : d.targets) out.push_back(t.model);
    return out;
  }

  config::Config config_;
  PolicyEngine engine_;
};

const std::vector<std::string> kAutoCloud = {"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"};

TEST_F(PolicyEngineTest, CleanEasyRequestGoesLocalFirstOnAuto) {
  auto d = decide(request("auto", "Say hi."));
  ASSERT_FALSE(d.rejection);
  EXPECT_EQ(d.route, "auto");
  EXPECT_LT(d.difficulty, 0.6);
  std::vector<std::string> expected = {"stories"};
  expected.insert(expected.end(), kAutoCloud.begin(), kAutoCloud.end());
  EXPECT_EQ(models(d), expected);
  EXPECT_EQ(d.privacy.action, PrivacyAction::Allow);
  EXPECT_EQ(d.targets[0].locality, Locality::Device);
  EXPECT_EQ(d.targets[1].provider, "openai");
}

TEST_F(PolicyEngineTest, OnlyTheFirstTargetIsCountedWithTheLocalTokenizer) {
  std::vector<std::string> asked;
  const PolicyEngine counting(config_, constant_difficulty(0.3), [&](const std::string& model, const ChatRequest&) {
    asked.push_back(model);
    return std::optional<int64_t>(7);
  });
  const auto easy = counting.decide({request("auto", "Say hi."), *config_.find_team("growth"), "d1", {}, {}});
  ASSERT_EQ(easy.targets.at(0).model, "stories");
  EXPECT_TRUE(easy.targets[0].cost.input_tokens_exact);
  EXPECT_EQ(easy.targets[0].cost.input_tokens, 7);
  EXPECT_FALSE(easy.targets[1].cost.input_tokens_exact);
  EXPECT_EQ(asked, std::vector<std::string>{"stories"});
  asked.clear();
  const auto smart = counting.decide({request("smart", "Say hi."), *config_.find_team("growth"), "d2", {}, {}});
  ASSERT_EQ(smart.targets.back().model, "stories");  // local last: estimated, never counted
  EXPECT_FALSE(smart.targets.back().cost.input_tokens_exact);
  EXPECT_TRUE(asked.empty());
}

TEST_F(PolicyEngineTest, RouteWithoutThresholdPutsLocalLast) {
  auto d = decide(request("smart", "Say hi."));
  EXPECT_EQ(models(d), (std::vector<std::string>{"claude-sonnet-4-5", "gpt-4o", "stories"}));
}

TEST_F(PolicyEngineTest, BlockActionRejectsWithoutNamingTheValue) {
  const std::string key = "sk-proj-4fK9xQ2mL7vB1nR8tY3wZ6hJ0pD5sG2cV9bN4kM7qW1eR3tY6uI8oP0aS2dF5gH";
  auto d = decide(request("auto", "my key is " + key));
  ASSERT_TRUE(d.rejection);
  EXPECT_EQ(d.rejection->status, 400);
  EXPECT_EQ(d.rejection->type, "privacy_blocked");
  EXPECT_NE(d.rejection->message.find("SECRET"), std::string::npos);
  EXPECT_EQ(d.rejection->message.find(key), std::string::npos);
  EXPECT_EQ(d.to_json().dump().find(key), std::string::npos);
  EXPECT_TRUE(d.targets.empty());
}

TEST_F(PolicyEngineTest, LocalOnlyFindingKeepsOnlyDeviceTargets) {
  auto d = decide(request("auto", "Patient SSN 123-45-6789 needs a summary."));
  ASSERT_FALSE(d.rejection);
  EXPECT_EQ(d.privacy.action, PrivacyAction::LocalOnly);
  EXPECT_EQ(models(d), (std::vector<std::string>{"stories"}));
}

TEST_F(PolicyEngineTest, StrictestActionWinsAcrossMessages) {
  // EMAIL (redact) in the system prompt, SSN (local_only) in the user message.
  config_.teams[1].privacy.actions.clear();  // growth: no EMAIL override
  auto d = decide(request("auto", "SSN 123-45-6789", "Reply to ann@example.com"));
  EXPECT_EQ(d.privacy.action, PrivacyAction::LocalOnly);
  auto j = d.privacy.to_json();
  EXPECT_EQ(j["findings"]["EMAIL"]["action"], "redact");
  EXPECT_EQ(j["findings"]["US_SSN"]["action"], "local_only");
}

TEST_F(PolicyEngineTest, FindingsInToolArgumentsCount) {
  auto r = request("auto", "continue");
  Message assistant{Role::Assistant, {}, "", {{"call_1", "lookup", R"({"ssn":"123-45-6789"})"}}, ""};
  r.messages.insert(r.messages.begin(), assistant);
  EXPECT_EQ(decide(r).privacy.action, PrivacyAction::LocalOnly);
}

TEST_F(PolicyEngineTest, AStrictFindingInsideALenientOneStillCounts) {
  // growth allows EMAIL; the codename (local_only) inside the address must not be lost.
  auto d = decide(request("auto", "escalate to NIGHTOWL@corp.com"), "growth");
  EXPECT_EQ(d.privacy.action, PrivacyAction::LocalOnly);
  EXPECT_EQ(models(d), (std::vector<std::string>{"stories"}));
}

TEST_F(PolicyEngineTest, EachKeptSpanTakesTheActionsOfTheFindingsItCoversOnly) {
  // Three addresses; only the middle one covers the codename.
  auto d = decide(request("auto", "cc a@b.com, then NIGHTOWL@corp.com and c@d.com"), "growth");
  ASSERT_EQ(d.privacy.findings.size(), 3u);
  EXPECT_EQ(d.privacy.findings[0].action, PrivacyAction::Allow);
  EXPECT_EQ(d.privacy.findings[1].action, PrivacyAction::LocalOnly);
  EXPECT_EQ(d.privacy.findings[2].action, PrivacyAction::Allow);
}

TEST_F(PolicyEngineTest, FieldsThatCannotBeRedactedKeepRedactTypesOnDevice) {
  auto with_user = request("auto", "Say hi.");
  with_user.user = "alice@clinic.org";
  EXPECT_EQ(decide(with_user, "clinic_none").privacy.action, PrivacyAction::LocalOnly);
  auto with_tool = request("auto", "Say hi.");
  with_tool.tools.push_back({"notify", "mails bob@example.com", nlohmann::json::object()});
  EXPECT_EQ(decide(with_tool, "clinic_none").privacy.action, PrivacyAction::LocalOnly);
  auto clean = request("auto", "Say hi.");
  clean.user = "user-42";
  EXPECT_EQ(decide(clean, "clinic_none").privacy.action, PrivacyAction::Allow);
}

TEST_F(PolicyEngineTest, AValueSplitAcrossTextPartsIsFound) {
  auto r = request("auto", "SSN 123-45-");
  r.messages.back().content.push_back({ContentPart::Kind::Text, "6789 please", "", ""});
  auto d = decide(r, "clinic_none");
  EXPECT_EQ(d.privacy.action, PrivacyAction::LocalOnly);
  EXPECT_EQ(models(d), (std::vector<std::string>{"stories"}));
}

TEST_F(PolicyEngineTest, TeamOverrideAllowsEmail) {
  // growth sets EMAIL: allow; clinic has no override (global: redact) but defaults to local_only.
  auto growth = decide(request("auto", "write to ann@example.com"), "growth");
  EXPECT_EQ(growth.privacy.action, PrivacyAction::Allow);
  for (const auto& t : growth.targets) EXPECT_FALSE(t.redacted);
}

TEST_F(PolicyEngineTest, TeamDefaultLocalOnlyAppliesToEveryRequest) {
  auto d = decide(request("auto", "Say hi."), "clinic");
  EXPECT_EQ(d.privacy.action, PrivacyAction::LocalOnly);
  EXPECT_EQ(models(d), (std::vector<std::string>{"stories"}));
}

TEST_F(PolicyEngineTest, HeaderTightensButNeverLoosens) {
  auto tightened = decide(request("auto", "Say hi."), "growth", PrivacyAction::LocalOnly);
  EXPECT_EQ(models(tightened), (std::vector<std::string>{"stories"}));
  auto not_loosened = decide(request("auto", "Say hi."), "clinic", PrivacyAction::Allow);
  EXPECT_EQ(not_loosened.privacy.action, PrivacyAction::LocalOnly);
  EXPECT_EQ(models(not_loosened), (std::vector<std::string>{"stories"}));
}

TEST_F(PolicyEngineTest, ConcreteRemoteModelForbiddenByPrivacyIsReroutedToTheRoutesLocalModel) {
  auto d = decide(request("gpt-4o-mini", "SSN 123-45-6789"));
  ASSERT_FALSE(d.rejection);
  EXPECT_EQ(models(d), (std::vector<std::string>{"stories"}));
}

TEST_F(PolicyEngineTest, ConcreteModelOfADisabledProviderIsReroutedWhenLocalOnly) {
  config_.providers[0].enabled = false;
  auto d = decide(request("gpt-4o-mini", "Say hi."), "clinic");
  ASSERT_FALSE(d.rejection);
  EXPECT_EQ(models(d), (std::vector<std::string>{"stories"}));
}

TEST_F(PolicyEngineTest, ConcreteRemoteModelWithoutLocalAlternativeIsAPrivacyViolation) {
  config_.routes[0].local.clear();
  config_.routes[1].local.clear();
  auto d = decide(request("gpt-4o-mini", "SSN 123-45-6789"));
  ASSERT_TRUE(d.rejection);
  EXPECT_EQ(d.rejection->status, 403);
  EXPECT_EQ(d.rejection->type, "privacy_violation");
  EXPECT_NE(d.rejection->message.find("US_SSN"), std::string::npos);
}

TEST_F(PolicyEngineTest, FailClosedWhenNoDeviceTargetExists) {
  config_.routes[0].local.clear();
  auto d = decide(request("auto", "SSN 123-45-6789"));
  ASSERT_TRUE(d.rejection);
  EXPECT_EQ(d.rejection->status, 503);
  EXPECT_EQ(d.rejection->type, "no_private_target");
  EXPECT_TRUE(d.targets.empty());
}

TEST_F(PolicyEngineTest, DeviceLocalityProviderCountsAsPrivate) {
  config_.routes[0].cloud = {"qwen2.5-7b-instruct", "gpt-4o-mini"};  // lan-vllm: locality device
  config_.routes[0].local.clear();
  auto d = decide(request("auto", "SSN 123-45-6789"));
  ASSERT_FALSE(d.rejection);
  EXPECT_EQ(models(d), (std::vector<std::string>{"qwen2.5-7b-instruct"}));
  EXPECT_EQ(d.targets[0].provider, "lan-vllm");
}

TEST_F(PolicyEngineTest, ConcreteLocalModelIsServedEvenWhenLocalOnly) {
  auto d = decide(request("stories", "SSN 123-45-6789"), "clinic");
  EXPECT_EQ(models(d), (std::vector<std::string>{"stories"}));
  EXPECT_TRUE(d.route.empty());
}

TEST_F(PolicyEngineTest, UnknownModelIs404) {
  auto d = decide(request("gpt-9", "hi"));
  ASSERT_TRUE(d.rejection);
  EXPECT_EQ(d.rejection->status, 404);
  EXPECT_EQ(d.rejection->code, "model_not_found");
  EXPECT_EQ(d.rejection->param, "model");
}

TEST_F(PolicyEngineTest, DisabledProvidersAreSkippedWithAReason) {
  config_.providers[0].enabled = false;
  config_.providers[0].disabled_reason = "OPENAI_API_KEY is not set";
  auto d = decide(request("auto", "Say hi."));
  EXPECT_EQ(models(d), (std::vector<std::string>{"stories", "claude-haiku-4-5", "gemini-2.5-flash"}));
  bool named = false;
  for (const auto& r : d.reasons) named |= r.find("OPENAI_API_KEY is not set") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST_F(PolicyEngineTest, CostsComeFromConfiguredPrices) {
  auto r = request("auto", "Say hi.");
  r.max_tokens = 1000;
  auto d = decide(r);
  const Target& mini = d.targets[1];
  ASSERT_EQ(mini.model, "gpt-4o-mini");
  EXPECT_TRUE(mini.cost.priced);
  EXPECT_EQ(mini.cost.max_output_tokens, 1000);
  EXPECT_NEAR(mini.cost.max_usd, mini.cost.input_tokens * 0.15e-6 + 1000 * 0.60e-6, 1e-12);
  EXPECT_FALSE(d.targets[0].cost.priced);  // local: free unless priced
  EXPECT_EQ(d.targets[0].cost.max_usd, 0);
}

TEST_F(PolicyEngineTest, BudgetHeadroomDropsTargetsThatMayNotFit) {
  auto r = request("smart", "Say hi.");
  r.max_tokens = 10000;  // sonnet: up to $0.15, gpt-4o $0.10
  auto d = decide(r, "growth", std::nullopt, 0.12);
  EXPECT_EQ(models(d), (std::vector<std::string>{"gpt-4o", "stories"}));
  auto none = decide(request("gpt-4o", "Say hi."), "growth", std::nullopt, 0.0);
  ASSERT_TRUE(none.rejection);
  EXPECT_EQ(none.rejection->status, 429);
  EXPECT_EQ(none.rejection->type, "budget_exceeded");
}

TEST_F(PolicyEngineTest, ScoreAtOrAboveTheThresholdPutsCloudFirst) {
  const PolicyEngine hard(config_, constant_difficulty(0.6));
  auto d = hard.decide({request("auto", "Say hi."), *config_.find_team("growth"), "dec_test", std::nullopt, std::nullopt});
  EXPECT_DOUBLE_EQ(d.difficulty, 0.6);
  std::vector<std::string> expected = kAutoCloud;
  expected.push_back("stories");
  EXPECT_EQ(models(d), expected);
}

TEST_F(PolicyEngineTest, ShippedScorerIsUsedByDefaultAndBounded) {
  const PolicyEngine shipped(config_, DifficultyModel::builtin());
  auto d = shipped.decide({request("auto", "Say hi."), *config_.find_team("growth"), "dec_test", std::nullopt, std::nullopt});
  EXPECT_GE(d.difficulty, 0.0);
  EXPECT_LE(d.difficulty, 1.0);
  EXPECT_DOUBLE_EQ(d.difficulty, DifficultyModel::builtin().score(request("auto", "Say hi.")));
}

TEST_F(PolicyEngineTest, DecisionIsDeterministicAndSerializable) {
  auto r = request("auto", "Reach me at +1 415 555 0100 about IBAN DE89370400440532013000");
  auto a = decide(r).to_json();
  auto b = decide(r).to_json();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a["id"], "dec_test");
  EXPECT_EQ(a["privacy"]["action"], "redact");
  EXPECT_EQ(a["targets"][0]["model"], "stories");
  EXPECT_EQ(a["targets"][0]["redacted"], false);
  EXPECT_EQ(a["targets"][1]["redacted"], true);
  EXPECT_EQ(a.dump().find("DE89370400440532013000"), std::string::npos);
}

}  // namespace
}  // namespace sb::policies
