// The CONFIG.md example, env expansion, disabled providers, key hashing, paths, lookups.
#include <gtest/gtest.h>

#include "tests/core/config_test_util.h"

namespace sb::config {
namespace {

using test::config_md_env;
using test::config_md_example;
using test::env_of;
using test::error_of;

std::string hex(const KeyHash& hash) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint8_t b : hash) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

// "file:LINE:COL" of the first occurrence of `needle` in `text` (1-based, bytes).
std::string position_of(const std::string& text, const std::string& needle) {
  const size_t at = text.find(needle);
  const size_t line_start = text.rfind('\n', at);
  const long line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
  const size_t col = line_start == std::string::npos ? at + 1 : at - line_start;
  return "policies.yaml:" + std::to_string(line) + ":" + std::to_string(col);
}

TEST(ConfigExample, ConfigMdExampleParsesAsWritten) {
  const std::string yaml = config_md_example();
  ASSERT_NE(yaml.find("teams:"), std::string::npos) << "CONFIG.md has no yaml block";
  const Config c = parse_config(yaml, "policies.yaml", env_of(config_md_env()));

  EXPECT_EQ(c.source, "policies.yaml");
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_EQ(c.server.admin_token, "admin-secret");
  EXPECT_EQ(c.server.max_body_bytes, 4194304u);
  EXPECT_EQ(c.server.request_timeout_ms, 600000);

  EXPECT_EQ(c.ledger.driver, LedgerDriver::Sqlite);
  EXPECT_EQ(c.ledger.path, "switchboard.db");
  EXPECT_EQ(c.ledger.dsn, "");

  ASSERT_EQ(c.local_models.size(), 1u);
  const LocalModelConfig& stories = c.local_models[0];
  EXPECT_EQ(stories.name, "stories");
  EXPECT_EQ(stories.path, "models/demo.gguf");  // no folder in the file name: kept as written
  EXPECT_EQ(stories.context, 2048);
  EXPECT_EQ(stories.parallel, 4);
  EXPECT_EQ(stories.threads, 2);
  EXPECT_EQ(stories.chat_template, "auto");
  EXPECT_FALSE(stories.keep_alive_s.has_value());
  EXPECT_FALSE(stories.lazy_load);

  ASSERT_EQ(c.providers.size(), 4u);
  const ProviderConfig& openai = c.providers[0];
  EXPECT_EQ(openai.name, "openai");
  EXPECT_EQ(openai.kind, ProviderKind::OpenAI);
  EXPECT_EQ(openai.base_url, "https://api.openai.com/v1");
  EXPECT_EQ(openai.api_key, "sk-openai");
  EXPECT_EQ(openai.models, (std::vector<std::string>{"gpt-4o", "gpt-4o-mini"}));
  EXPECT_EQ(openai.timeout_ms, 60000);
  EXPECT_EQ(openai.max_retries, 2);
  EXPECT_EQ(openai.connect_timeout_ms, 10000);
  EXPECT_FALSE(openai.first_byte_timeout_ms.has_value());  // the whole-call timeout applies
  EXPECT_EQ(openai.idle_timeout_ms, 30000);
  EXPECT_EQ(openai.locality, Locality::Remote);
  EXPECT_TRUE(openai.enabled);
  EXPECT_EQ(c.providers[1].kind, ProviderKind::Anthropic);
  EXPECT_EQ(c.providers[1].api_key, "sk-ant");
  EXPECT_EQ(c.providers[1].models, (std::vector<std::string>{"claude-sonnet-4-5", "claude-haiku-4-5"}));
  EXPECT_EQ(c.providers[2].kind, ProviderKind::Gemini);
  EXPECT_EQ(c.providers[2].base_url, "https://generativelanguage.googleapis.com");
  const ProviderConfig& vllm = c.providers[3];
  EXPECT_EQ(vllm.name, "lan-vllm");
  EXPECT_EQ(vllm.kind, ProviderKind::OpenAICompatible);
  EXPECT_EQ(vllm.api_key, "");
  EXPECT_EQ(vllm.locality, Locality::Device);
  EXPECT_EQ(vllm.models, (std::vector<std::string>{"qwen2.5-7b-instruct"}));
  EXPECT_TRUE(c.warnings.empty());

  ASSERT_EQ(c.prices.size(), 5u);
  EXPECT_DOUBLE_EQ(c.prices.at("gpt-4o").input, 2.50);
  EXPECT_DOUBLE_EQ(c.prices.at("gpt-4o").output, 10.00);
  EXPECT_EQ(c.prices.at("gpt-4o").cached_input, 1.25);
  EXPECT_DOUBLE_EQ(c.prices.at("gpt-4o-mini").input, 0.15);
  EXPECT_FALSE(c.prices.at("gpt-4o-mini").cached_input.has_value());
  EXPECT_DOUBLE_EQ(c.prices.at("gemini-2.5-flash").output, 2.50);
  EXPECT_FALSE(c.prices.contains("qwen2.5-7b-instruct"));  // device provider: no price needed

  ASSERT_EQ(c.routes.size(), 2u);
  EXPECT_EQ(c.routes[0].model, "auto");
  EXPECT_EQ(c.routes[0].local, (std::vector<std::string>{"stories"}));
  EXPECT_EQ(c.routes[0].cloud, (std::vector<std::string>{"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"}));
  EXPECT_DOUBLE_EQ(c.routes[0].difficulty_threshold.value(), 0.6);
  EXPECT_EQ(c.routes[1].model, "smart");
  EXPECT_EQ(c.routes[1].cloud, (std::vector<std::string>{"claude-sonnet-4-5", "gpt-4o"}));
  EXPECT_FALSE(c.routes[1].difficulty_threshold.has_value());  // unset: cloud first

  ASSERT_EQ(c.privacy.custom.size(), 1u);
  EXPECT_EQ(c.privacy.custom[0].name, "PROJECT_CODENAME");
  EXPECT_EQ(c.privacy.custom[0].regex, R"(\b(?:BLUEJAY|NIGHTOWL)\b)");
  EXPECT_TRUE(c.privacy.custom[0].keywords.empty());
  EXPECT_EQ(c.privacy.actions.size(), 10u);
  EXPECT_EQ(c.privacy.actions.at("SECRET"), PrivacyAction::Block);
  EXPECT_EQ(c.privacy.actions.at("US_SSN"), PrivacyAction::LocalOnly);
  EXPECT_EQ(c.privacy.actions.at("IBAN"), PrivacyAction::Redact);
  EXPECT_EQ(c.privacy.actions.at("IP_ADDRESS"), PrivacyAction::Allow);
  EXPECT_EQ(c.privacy.actions.at("PROJECT_CODENAME"), PrivacyAction::LocalOnly);

  ASSERT_EQ(c.teams.size(), 2u);
  const TeamConfig& clinic = c.teams[0];
  EXPECT_EQ(clinic.name, "clinic");
  ASSERT_EQ(clinic.key_hashes.size(), 1u);
  EXPECT_EQ(clinic.key_hashes[0], sha256("clinic-key-1"));
  EXPECT_EQ(clinic.budget.daily_usd, 5.0);
  EXPECT_EQ(clinic.budget.monthly_usd, 100.0);
  EXPECT_EQ(clinic.rate_limit.rpm, 600);
  EXPECT_EQ(clinic.rate_limit.tpm, 200000);
  EXPECT_EQ(clinic.privacy.default_action, PrivacyAction::LocalOnly);
  EXPECT_TRUE(clinic.privacy.actions.empty());
  const TeamConfig& growth = c.teams[1];
  EXPECT_EQ(growth.key_hashes[0], sha256("growth-key-1"));
  EXPECT_FALSE(growth.budget.daily_usd.has_value());
  EXPECT_EQ(growth.budget.monthly_usd, 500.0);
  EXPECT_FALSE(growth.rate_limit.rpm.has_value());
  EXPECT_FALSE(growth.privacy.default_action.has_value());
  EXPECT_EQ(growth.privacy.actions.at("EMAIL"), PrivacyAction::Allow);
}

TEST(ConfigExample, WithoutCloudKeysProvidersAreDisabledWithWarnings) {
  auto env = config_md_env();
  env.erase("OPENAI_API_KEY");
  env.erase("GEMINI_API_KEY");
  env.erase("SWITCHBOARD_ADMIN_TOKEN");
  const Config c = parse_config(config_md_example(), "policies.yaml", env_of(env));
  EXPECT_FALSE(c.server.admin_token.has_value());  // admin API off, not an error
  EXPECT_FALSE(c.providers[0].enabled);
  EXPECT_EQ(c.providers[0].disabled_reason, "OPENAI_API_KEY is not set");
  EXPECT_TRUE(c.providers[1].enabled);
  EXPECT_FALSE(c.providers[2].enabled);
  EXPECT_TRUE(c.providers[3].enabled);
  EXPECT_EQ(c.warnings, (std::vector<std::string>{"provider 'openai' disabled: OPENAI_API_KEY is not set",
                                                  "provider 'gemini' disabled: GEMINI_API_KEY is not set"}));
  // A disabled provider still resolves its models.
  const auto ref = c.find_model("gpt-4o");
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(ref->provider, &c.providers[0]);
}

TEST(ConfigExample, MissingTeamKeyVariableIsAnErrorAtTheReference) {
  auto env = config_md_env();
  env.erase("CLINIC_KEY");
  const std::string yaml = config_md_example();
  EXPECT_EQ(error_of(yaml, env_of(env)),
            position_of(yaml, "${CLINIC_KEY}") + ": environment variable CLINIC_KEY is not set");
}

TEST(ConfigExample, ErrorsNameTheFileAsGiven) {
  auto env = config_md_env();
  env.erase("GROWTH_KEY");
  EXPECT_TRUE(error_of(config_md_example(), env_of(env), "conf/prod.yaml").starts_with("conf/prod.yaml:"));
}

TEST(ConfigEnv, ExpandsInsideLongerStringsAndUsesDefaults) {
  const Config c = parse_config(R"(
server:
  listen: ${HOST:-127.0.0.1}:${PORT}
  admin_token: ${ADMIN:-dev-admin}
ledger:
  driver: postgres
  dsn: postgresql://${DB_USER}@db/${DB_NAME:-switchboard}
local_models:
  - name: m
    path: ${MODELS}/m.gguf
teams:
  - name: dev
    keys: [${DEV_KEY:-sb-dev-key}, "${EMPTY:-fallback}"]
)",
                                "policies.yaml",
                                env_of({{"PORT", "9000"}, {"DB_USER", "sb"}, {"MODELS", "/srv/models"}, {"EMPTY", ""}}));
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 9000);
  EXPECT_EQ(c.server.admin_token, "dev-admin");
  EXPECT_EQ(c.ledger.dsn, "postgresql://sb@db/switchboard");
  EXPECT_EQ(c.local_models[0].path, "/srv/models/m.gguf");
  ASSERT_EQ(c.teams[0].key_hashes.size(), 2u);
  EXPECT_EQ(c.teams[0].key_hashes[0], sha256("sb-dev-key"));
  EXPECT_EQ(c.teams[0].key_hashes[1], sha256("fallback"));  // set but empty counts as unset
}

TEST(ConfigEnv, DefaultsMayHoldYamlSpecialCharacters) {
  const Config c = parse_config(R"(
local_models: [{name: m, path: "${P:-a, [b] #c: d}"}]
providers:
  - {name: p, kind: openai, base_url: "${URL:-http://h:1/v1}", models: [${M:-x,y}], locality: device}
)",
                                "policies.yaml", env_of({}));
  EXPECT_EQ(c.local_models[0].path, "a, [b] #c: d");
  EXPECT_EQ(c.providers[0].base_url, "http://h:1/v1");
  EXPECT_EQ(c.providers[0].models, (std::vector<std::string>{"x,y"}));
}

TEST(ConfigEnv, ProviderWithSeveralUnsetVariablesNamesThemAll) {
  const Config c = parse_config(R"(
providers:
  - name: corp
    kind: openai_compatible
    base_url: ${CORP_URL}
    api_key: ${CORP_KEY}
    models: [m]
    locality: device
)",
                                "policies.yaml", env_of({}));
  EXPECT_FALSE(c.providers[0].enabled);
  EXPECT_EQ(c.providers[0].disabled_reason, "CORP_URL, CORP_KEY are not set");
  EXPECT_EQ(c.warnings, std::vector<std::string>{"provider 'corp' disabled: CORP_URL, CORP_KEY are not set"});
}

TEST(ConfigKeys, Sha256KnownVectors) {
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ConfigKeys, PlaintextIsHashedAndSha256FormIsKeptAsGiven) {
  const Config c = parse_config(R"(
local_models: [{name: m, path: m.gguf}]
teams:
  - name: t
    keys:
      - abc
      - sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AE
)",
                                "policies.yaml", env_of({}));
  ASSERT_EQ(c.teams[0].key_hashes.size(), 2u);
  EXPECT_EQ(hex(c.teams[0].key_hashes[0]), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(c.teams[0].key_hashes[1]), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae");
}

TEST(ConfigKeys, SameKeyAsPlaintextAndAsHashIsAConflict) {
  EXPECT_EQ(error_of(R"(local_models: [{name: m, path: m.gguf}]
teams:
  - {name: a, keys: [abc]}
  - {name: b, keys: [sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad]}
)",
                     env_of({})),
            "policies.yaml:4:22: key already used by team 'a'");
}

TEST(ConfigPaths, LoadConfigResolvesPathsAgainstTheFilesFolder) {
  sb::test::TempDir dir;
  const auto file = dir.write("policies.yaml", R"(
ledger: {path: data/ledger.db}
local_models:
  - {name: rel, path: models/a.gguf}
  - {name: abs, path: /opt/b.gguf}
)");
  const Config c = load_config(file, env_of({}));
  EXPECT_EQ(c.source, file);
  EXPECT_EQ(c.local_models[0].path, dir.path() / "models/a.gguf");
  EXPECT_EQ(c.local_models[1].path, "/opt/b.gguf");
  EXPECT_EQ(c.ledger.path, dir.path() / "data/ledger.db");
}

TEST(ConfigPaths, DefaultLedgerPathAndInMemoryLedger) {
  const Config c = parse_config("local_models: [{name: m, path: m.gguf}]\n", "conf/policies.yaml", env_of({}));
  EXPECT_EQ(c.ledger.path, "conf/switchboard.db");
  EXPECT_EQ(c.local_models[0].path, "conf/m.gguf");
  const Config mem =
      parse_config("ledger: {path: ':memory:'}\nlocal_models: [{name: m, path: m.gguf}]\n", "conf/p.yaml", env_of({}));
  EXPECT_EQ(mem.ledger.path, ":memory:");
}

TEST(ConfigPaths, MissingFileIsAnErrorNamingIt) {
  sb::test::TempDir dir;
  const auto missing = dir.path() / "nope.yaml";
  try {
    load_config(missing, env_of({}));
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), missing.string() + ": cannot open: No such file or directory");
    EXPECT_EQ(e.line(), 0);
  }
}

TEST(ConfigServer, ListenForms) {
  auto listen = [](const std::string& value) {
    const Config c =
        parse_config("server: {listen: '" + value + "'}\nlocal_models: [{name: m, path: m}]\n", "p.yaml", env_of({}));
    return c.server.host + " " + std::to_string(c.server.port);
  };
  EXPECT_EQ(listen("0.0.0.0:80"), "0.0.0.0 80");
  EXPECT_EQ(listen("[::1]:8443"), "::1 8443");
  EXPECT_EQ(listen("gateway.internal:0"), "gateway.internal 0");
  EXPECT_EQ(listen("localhost:65535"), "localhost 65535");
}

TEST(ConfigServer, DefaultsWhenSectionAbsent) {
  const Config c = parse_config("local_models: [{name: m, path: m}]\n", "p.yaml", env_of({}));
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_FALSE(c.server.admin_token.has_value());
  EXPECT_EQ(c.server.max_body_bytes, 4u * 1024 * 1024);
}

TEST(ConfigProviders, TimeoutsAndRetries) {
  const Config c = parse_config(
      "providers:\n"
      "  - {name: p, kind: openai, base_url: http://h, models: [a], timeout_ms: 90000, connect_timeout_ms: 2500,\n"
      "     first_byte_timeout_ms: 15000, idle_timeout_ms: 5000, max_retries: 0}\n"
      "prices: {a: {input: 1, output: 1}}\n",
      "p.yaml", env_of({}));
  const ProviderConfig& p = c.providers.at(0);
  EXPECT_EQ(p.timeout_ms, 90000);
  EXPECT_EQ(p.connect_timeout_ms, 2500);
  EXPECT_EQ(p.first_byte_timeout_ms, 15000);
  EXPECT_EQ(p.idle_timeout_ms, 5000);
  EXPECT_EQ(p.max_retries, 0);
}

TEST(ConfigErrorType, FormatsPositionAndKeepsParts) {
  const ConfigError e("a.yaml", 3, 7, "bad");
  EXPECT_STREQ(e.what(), "a.yaml:3:7: bad");
  EXPECT_EQ(e.file(), "a.yaml");
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.col(), 7);
  EXPECT_EQ(e.message(), "bad");
  EXPECT_STREQ(ConfigError("a.yaml", "gone").what(), "a.yaml: gone");
}

TEST(ConfigEnums, ToStringSpellsTheYamlValues) {
  EXPECT_STREQ(to_string(ProviderKind::OpenAICompatible), "openai_compatible");
  EXPECT_STREQ(to_string(PrivacyAction::LocalOnly), "local_only");
  EXPECT_STREQ(to_string(Locality::Device), "device");
  EXPECT_STREQ(to_string(LedgerDriver::Postgres), "postgres");
  EXPECT_LT(PrivacyAction::Redact, PrivacyAction::LocalOnly);  // stricter is later
}

TEST(ConfigLookup, FindsRoutesModelsProvidersTeams) {
  const Config c = parse_config(R"(
local_models: [{name: shared, path: m.gguf}]
providers:
  - {name: first, kind: openai, base_url: "http://a", api_key: "${NOPE}", models: [x, y]}
  - {name: second, kind: openai, base_url: "http://b", models: [y, shared2]}
prices: {x: {input: 1, output: 2}, y: {input: 1, output: 2}, shared2: {input: 0, output: 0}}
routes: [{model: auto, local: [shared], cloud: [y]}]
teams: [{name: t, keys: [k]}]
)",
                                "p.yaml", env_of({}));
  EXPECT_EQ(c.find_route("auto"), &c.routes[0]);
  EXPECT_EQ(c.find_route("shared"), nullptr);
  auto local = c.find_model("shared");
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->kind, ModelRef::Kind::Local);
  EXPECT_EQ(local->local, &c.local_models[0]);
  EXPECT_EQ(local->provider, nullptr);
  auto y = c.find_model("y");  // listed by both: the first provider, though it is disabled
  ASSERT_TRUE(y.has_value());
  EXPECT_EQ(y->kind, ModelRef::Kind::Remote);
  EXPECT_EQ(y->provider, &c.providers[0]);
  EXPECT_FALSE(y->provider->enabled);
  EXPECT_EQ(c.find_model("shared2")->provider, &c.providers[1]);
  EXPECT_FALSE(c.find_model("auto").has_value());  // a route is not a model
  EXPECT_EQ(c.find_provider("second"), &c.providers[1]);
  EXPECT_EQ(c.find_provider("third"), nullptr);
  EXPECT_EQ(c.find_team("t"), &c.teams[0]);
  EXPECT_EQ(c.find_team("u"), nullptr);
}

}  // namespace
}  // namespace sb::config
