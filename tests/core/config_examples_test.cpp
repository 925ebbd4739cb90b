// The example configurations in examples/ stay valid.
#include <gtest/gtest.h>

#include "tests/core/config_test_util.h"

namespace sb::config {
namespace {

using test::env_of;

std::filesystem::path example(const std::string& name) { return sb::test::source_dir() / "examples" / name; }

TEST(ConfigExamples, LocalOnlyNeedsNoEnvironment) {
  const Config c = load_config(example("local-only.yaml"), env_of({}));
  ASSERT_EQ(c.local_models.size(), 1u);
  EXPECT_EQ(c.local_models[0].path, example("../models/demo.gguf"));
  EXPECT_TRUE(c.providers.empty());
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_FALSE(c.server.admin_token.has_value());
  ASSERT_EQ(c.teams.size(), 1u);
  EXPECT_EQ(c.teams[0].key_hashes[0], sha256("sb-dev-local"));
  EXPECT_EQ(c.ledger.path, example("switchboard-local.db"));
}

TEST(ConfigExamples, LocalOnlyTakesTheDevKeyFromTheEnvironment) {
  const Config c = load_config(example("local-only.yaml"), env_of({{"SWITCHBOARD_DEV_KEY", "k"}}));
  EXPECT_EQ(c.teams[0].key_hashes[0], sha256("k"));
}

TEST(ConfigExamples, CloudOnlyStartsWithoutKeysAndDisablesProviders) {
  const Config c = load_config(example("cloud-only.yaml"), env_of({}));
  EXPECT_TRUE(c.local_models.empty());
  ASSERT_EQ(c.providers.size(), 2u);
  EXPECT_FALSE(c.providers[0].enabled);
  EXPECT_FALSE(c.providers[1].enabled);
  EXPECT_EQ(c.warnings.size(), 2u);
  EXPECT_EQ(c.teams[0].key_hashes[0], sha256("sb-example-key"));
}

TEST(ConfigExamples, CloudOnlyWithKeys) {
  const Config c =
      load_config(example("cloud-only.yaml"), env_of({{"OPENAI_API_KEY", "a"}, {"ANTHROPIC_API_KEY", "b"}}));
  EXPECT_TRUE(c.providers[0].enabled);
  EXPECT_EQ(c.providers[1].api_key, "b");
  EXPECT_EQ(c.providers[1].max_retries, 1);
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.server.host, "0.0.0.0");
}

TEST(ConfigExamples, DefaultPoliciesYamlNeedsNoEnvironment) {
  const Config c = load_config(sb::test::source_dir() / "policies.yaml", env_of({}));
  EXPECT_FALSE(c.local_models.empty());
  EXPECT_FALSE(c.teams.empty());
  for (const ProviderConfig& provider : c.providers)  // no cloud key is baked into the file
    EXPECT_TRUE(provider.api_key.empty()) << provider.name;
}

}  // namespace
}  // namespace sb::config
