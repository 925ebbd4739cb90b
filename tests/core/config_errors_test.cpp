// Every class of configuration error, with its exact "file:line:col: message".
#include <gtest/gtest.h>

#include "tests/core/config_test_util.h"

namespace sb::config {
namespace {

struct ErrorCase {
  const char* name;
  const char* yaml;
  const char* expected;
};

// Prefix for cases that need a valid model section (line 1).
#define MODEL "local_models: [{name: m, path: m.gguf}]\n"

const ErrorCase kCases[] = {
    // --- Documents and YAML syntax ---
    {"EmptyFile", "", "policies.yaml: the configuration is empty"},
    {"OnlyComments", "# nothing here\n", "policies.yaml: the configuration is empty"},
    {"RootIsAList", "- server\n",
     "policies.yaml:1:1: the top level must be a map of sections (server, providers, ...), got a list"},
    {"RootIsAScalar", "hello\n",
     "policies.yaml:1:1: the top level must be a map of sections (server, providers, ...), got a single value"},
    {"YamlSyntax", "server:\n  listen: [1, 2\n", "policies.yaml:3:1: end of sequence flow not found"},
    {"TwoDocuments", MODEL "---\nserver: {}\n", "policies.yaml:3:1: only one YAML document is allowed"},
    {"ControlCharacter", MODEL "server: {listen: \"a\x01\"}\n", "policies.yaml:2:20: control character 0x01 is not allowed"},
    {"NoModels", "server: {listen: 127.0.0.1:1}\n", "policies.yaml:1:1: no models configured: add local_models or providers"},

    // --- Unknown and duplicate keys, at every level ---
    {"UnknownTopLevelKey", MODEL "servers: {}\n",
     "policies.yaml:2:1: unknown key 'servers' at the top level (expected one of: server, ledger, local_models, "
     "providers, prices, routes, privacy, teams)"},
    {"UnknownServerKey", "server:\n  listen: 127.0.0.1:1\n  colour: red\n",
     "policies.yaml:3:3: unknown key 'colour' in server (expected one of: listen, admin_token, max_body_bytes, "
     "request_timeout_ms)"},
    {"UnknownLocalModelKey", "local_models:\n  - name: m\n    path: m.gguf\n    ctx: 1\n",
     "policies.yaml:4:5: unknown key 'ctx' in local_models[0] (expected one of: name, path, context, parallel, "
     "threads, chat_template, keep_alive_s, lazy_load)"},
    {"UnknownPriceKey", MODEL "prices:\n  m: {input: 1, output: 2, cache: 1}\n",
     "policies.yaml:3:28: unknown key 'cache' in prices.m (expected one of: input, output, cached_input)"},
    {"UnknownTeamBudgetKey", MODEL "teams:\n  - name: t\n    keys: [k]\n    budget: {weekly_usd: 1}\n",
     "policies.yaml:5:14: unknown key 'weekly_usd' in teams[0].budget (expected one of: daily_usd, monthly_usd)"},
    {"DuplicateKey", "server:\n  listen: 127.0.0.1:1\n  listen: 127.0.0.1:2\n",
     "policies.yaml:3:3: duplicate key 'listen' in server"},
    {"DuplicateActionType", MODEL "privacy:\n  actions: {EMAIL: allow, EMAIL: block}\n",
     "policies.yaml:3:27: duplicate key 'EMAIL' in privacy.actions"},

    // --- Wrong types ---
    {"StringForInteger", "server:\n  max_body_bytes: big\n",
     "policies.yaml:2:19: server.max_body_bytes: expected an integer, got 'big'"},
    {"QuotedNumber", "server:\n  max_body_bytes: \"1024\"\n",
     "policies.yaml:2:19: server.max_body_bytes: expected an integer, got the quoted string '1024'"},
    {"FloatForInteger", "server:\n  request_timeout_ms: 1.5\n",
     "policies.yaml:2:23: server.request_timeout_ms: expected an integer, got '1.5'"},
    {"StringForNumber", MODEL "prices:\n  m: {input: cheap, output: 1}\n",
     "policies.yaml:3:14: prices.m.input: expected a number, got 'cheap'"},
    {"NotABoolean", "local_models:\n  - {name: m, path: m.gguf, lazy_load: yes}\n",
     "policies.yaml:2:40: local_models[0].lazy_load: expected true or false, got 'yes'"},
    {"MapWhereListExpected", "local_models:\n  name: m\n",
     "policies.yaml:2:3: local_models: expected a list, got a map"},
    {"ListWhereMapExpected", "server: [127.0.0.1]\n", "policies.yaml:1:9: server: expected a map, got a list"},
    {"MapWhereStringExpected", "local_models:\n  - name: {a: 1}\n    path: m\n",
     "policies.yaml:2:11: local_models[0].name: expected a string, got a map"},
    {"NullValuePointsAtKey", "server:\n  listen:\n  max_body_bytes: 1\n", "policies.yaml:2:3: server.listen: missing value"},
    {"EmptyString", "local_models:\n  - {name: '', path: m}\n",
     "policies.yaml:2:12: local_models[0].name: must not be empty"},

    // --- Ranges ---
    {"NegativeContext", "local_models:\n  - name: m\n    path: m.gguf\n    context: -5\n",
     "policies.yaml:4:14: local_models[0].context: must be at least 1, got -5"},
    {"ZeroParallel", "local_models:\n  - {name: m, path: m.gguf, parallel: 0}\n",
     "policies.yaml:2:39: local_models[0].parallel: must be between 1 and 1024, got 0"},
    {"NegativePrice", MODEL "prices:\n  m: {input: -1, output: 1}\n",
     "policies.yaml:3:14: prices.m.input: must be at least 0, got -1"},
    {"ZeroIdleTimeout", "providers:\n  - {name: p, kind: openai, base_url: http://h, models: [a], idle_timeout_ms: 0}\n",
     "policies.yaml:2:79: providers[0].idle_timeout_ms: must be at least 1, got 0"},
    {"ThresholdAboveOne", MODEL "routes:\n  - model: auto\n    local: [m]\n    difficulty_threshold: 1.5\n",
     "policies.yaml:5:27: routes[0].difficulty_threshold: must be between 0 and 1, got 1.5"},
    {"ThresholdBelowZero", MODEL "routes:\n  - {model: auto, local: [m], difficulty_threshold: -0.1}\n",
     "policies.yaml:3:53: routes[0].difficulty_threshold: must be between 0 and 1, got -0.1"},
    {"ZeroRpm", MODEL "teams:\n  - {name: t, keys: [k], rate_limit: {rpm: 0}}\n",
     "policies.yaml:3:44: teams[0].rate_limit.rpm: must be at least 1, got 0"},

    // --- Enums ---
    {"BadProviderKind", "providers:\n  - name: p\n    kind: foo\n    base_url: http://h\n    models: [a]\n",
     "policies.yaml:3:11: providers[0].kind: unknown value 'foo' (expected one of: openai, anthropic, gemini, "
     "openai_compatible)"},
    {"BadLedgerDriver", "ledger:\n  driver: mysql\n",
     "policies.yaml:2:11: ledger.driver: unknown value 'mysql' (expected one of: sqlite, postgres)"},
    {"BadPrivacyAction", MODEL "privacy:\n  actions:\n    EMAIL: deny\n",
     "policies.yaml:4:12: privacy.actions.EMAIL: unknown value 'deny' (expected one of: allow, redact, local_only, "
     "block)"},
    {"BadTeamDefaultAction", MODEL "teams:\n  - name: t\n    keys: [k]\n    privacy: {default: private}\n",
     "policies.yaml:5:24: teams[0].privacy.default: unknown value 'private' (expected one of: allow, redact, "
     "local_only, block)"},
    {"BadLocality", "providers:\n  - {name: p, kind: openai, base_url: http://h, models: [a], locality: lan}\n",
     "policies.yaml:2:72: providers[0].locality: unknown value 'lan' (expected one of: device, remote)"},

    // --- server.listen ---
    {"ListenWithoutPort", "server: {listen: localhost}\n",
     "policies.yaml:1:18: server.listen: expected host:port (e.g. 127.0.0.1:8080 or [::1]:8080), got 'localhost'"},
    {"ListenPortTooBig", "server: {listen: 127.0.0.1:70000}\n",
     "policies.yaml:1:18: server.listen: port must be between 0 and 65535, got 70000"},
    {"ListenPortNotNumber", "server: {listen: 127.0.0.1:http}\n",
     "policies.yaml:1:18: server.listen: port must be a number, got 'http'"},
    {"ListenBadIpv4", "server: {listen: 300.1.1.1:80}\n", "policies.yaml:1:18: server.listen: bad IPv4 address '300.1.1.1'"},
    {"ListenBadHostName", "server: {listen: 'bad_host:80'}\n",
     "policies.yaml:1:18: server.listen: bad host name 'bad_host'"},
    {"ListenIpv6WithoutBrackets", "server: {listen: '::1:8080'}\n",
     "policies.yaml:1:18: server.listen: IPv6 addresses need brackets, e.g. [::1]:8080"},
    {"ListenBadIpv6", "server: {listen: '[::g]:80'}\n", "policies.yaml:1:18: server.listen: bad IPv6 address '::g'"},

    // --- Missing required keys ---
    {"LocalModelWithoutPath", "local_models:\n  - name: m\n    context: 1\n",
     "policies.yaml:2:5: local_models[0]: missing required key 'path'"},
    {"ProviderWithoutKind", "providers:\n  - name: p\n    base_url: http://h\n    models: [a]\n",
     "policies.yaml:2:5: providers[0]: missing required key 'kind'"},
    {"ProviderWithoutBaseUrl", "providers:\n  - {name: p, kind: openai, models: [a]}\n",
     "policies.yaml:2:5: providers[0]: missing required key 'base_url'"},
    {"ProviderWithoutModels", "providers:\n  - {name: p, kind: openai, base_url: http://h}\n",
     "policies.yaml:2:5: providers[0]: missing required key 'models'"},
    {"ProviderWithEmptyModels", "providers:\n  - {name: p, kind: openai, base_url: http://h, models: []}\n",
     "policies.yaml:2:57: providers[0].models: must list at least one model"},
    {"ProviderBadUrl", "providers:\n  - {name: p, kind: openai, base_url: ftp://h, models: [a]}\n",
     "policies.yaml:2:39: providers[0].base_url: expected an http:// or https:// URL, got 'ftp://h'"},
    {"PriceWithoutOutput", MODEL "prices:\n  m: {input: 1}\n", "policies.yaml:3:6: prices.m: missing required key 'output'"},
    {"TeamWithoutKeys", MODEL "teams:\n  - name: t\n", "policies.yaml:3:5: teams[0]: missing required key 'keys'"},
    {"TeamWithEmptyKeys", MODEL "teams:\n  - {name: t, keys: []}\n",
     "policies.yaml:3:21: teams[0].keys: must list at least one key"},
    {"RouteWithoutTargets", MODEL "routes:\n  - model: auto\n",
     "policies.yaml:3:5: routes[0]: a route needs at least one model in local: or cloud:"},
    {"PostgresWithoutDsn", MODEL "ledger:\n  driver: postgres\n",
     "policies.yaml:3:11: ledger.driver: postgres needs ledger.dsn (e.g. postgresql://user@host/db)"},
    {"DetectorWithNeither", MODEL "privacy:\n  custom:\n    - name: CODE\n",
     "policies.yaml:4:7: privacy.custom[0]: needs exactly one of regex: or keywords:"},
    {"DetectorWithBoth", MODEL "privacy:\n  custom:\n    - {name: CODE, regex: x, keywords: [y]}\n",
     "policies.yaml:4:7: privacy.custom[0]: needs exactly one of regex: or keywords:"},
    {"DetectorBadName", MODEL "privacy:\n  custom:\n    - {name: code, regex: x}\n",
     "policies.yaml:4:14: privacy.custom[0].name: finding type names are UPPER_SNAKE_CASE, got 'code'"},

    // --- Duplicate names ---
    {"DuplicateLocalModel", "local_models:\n  - {name: m, path: a}\n  - {name: m, path: b}\n",
     "policies.yaml:3:12: duplicate local model 'm' (first at 2:12)"},
    {"DuplicateProvider",
     "providers:\n  - {name: p, kind: openai, base_url: http://a, models: [a], locality: device}\n"
     "  - {name: p, kind: openai, base_url: http://b, models: [b], locality: device}\n",
     "policies.yaml:3:12: duplicate provider 'p' (first at 2:12)"},
    {"ModelListedTwiceByProvider",
     "providers:\n  - {name: p, kind: openai, base_url: http://a, models: [a, a], locality: device}\n",
     "policies.yaml:2:61: provider 'p' lists model 'a' twice"},
    {"ProviderModelIsALocalModel",
     MODEL "providers:\n  - {name: p, kind: openai, base_url: http://a, models: [m], locality: device}\n",
     "policies.yaml:3:58: model 'm' is already a local model"},
    {"DuplicateRoute", MODEL "routes:\n  - {model: auto, local: [m]}\n  - {model: auto, local: [m]}\n",
     "policies.yaml:4:13: duplicate route 'auto' (first at 3:13)"},
    {"RouteNamedLikeAModel", MODEL "routes:\n  - {model: m, local: [m]}\n",
     "policies.yaml:3:13: route 'm' has the name of a model"},
    {"DuplicateTeam", MODEL "teams:\n  - {name: t, keys: [a]}\n  - {name: t, keys: [b]}\n",
     "policies.yaml:4:12: duplicate team 't' (first at 3:12)"},
    {"DuplicateDetector", MODEL "privacy:\n  custom:\n    - {name: CODE, regex: x}\n    - {name: CODE, keywords: [y]}\n",
     "policies.yaml:5:14: duplicate custom detector 'CODE' (first at 4:14)"},
    {"DetectorNamedLikeBuiltin", MODEL "privacy:\n  custom:\n    - {name: EMAIL, regex: x}\n",
     "policies.yaml:4:14: custom detector 'EMAIL' has the name of a built-in finding type"},

    // --- Dangling references ---
    {"RouteUnknownModel", MODEL "routes:\n  - model: auto\n    cloud: [gpt-9]\n",
     "policies.yaml:4:13: route 'auto' names unknown model 'gpt-9'"},
    {"RouteLocalNamesRemoteModel",
     MODEL "providers:\n  - {name: p, kind: openai, base_url: http://a, models: [r]}\nprices: {r: {input: 1, output: 1}}\n"
           "routes:\n  - {model: auto, local: [m, r]}\n",
     "policies.yaml:6:30: route 'auto' lists remote model 'r' under local:"},
    {"RouteCloudNamesLocalModel", MODEL "routes:\n  - {model: auto, cloud: [m]}\n",
     "policies.yaml:3:27: route 'auto' lists local model 'm' under cloud:"},
    {"RouteListsModelTwice", MODEL "routes:\n  - {model: auto, local: [m, m]}\n",
     "policies.yaml:3:30: route 'auto' lists model 'm' twice"},
    {"RemoteModelWithoutPrice", "providers:\n  - {name: p, kind: openai, base_url: http://a, models: [r]}\n",
     "policies.yaml:2:58: model 'r' of provider 'p' has no price (add it under prices:, or mark the provider "
     "locality: device)"},
    {"PriceForUnknownModel", MODEL "prices:\n  gpt-9: {input: 1, output: 1}\n",
     "policies.yaml:3:3: price for unknown model 'gpt-9'"},
    {"UnknownFindingType", MODEL "privacy:\n  actions: {EMAIL: allow, PASSPORT: block}\n",
     "policies.yaml:3:27: unknown finding type 'PASSPORT' (expected a built-in type or a privacy.custom name)"},
    {"UnknownTeamFindingType", MODEL "teams:\n  - {name: t, keys: [k], privacy: {actions: {CODE: allow}}}\n",
     "policies.yaml:3:46: unknown finding type 'CODE' (expected a built-in type or a privacy.custom name)"},
    {"KeyUsedByTwoTeams", MODEL "teams:\n  - {name: a, keys: [k1, k2]}\n  - {name: b, keys: [k2]}\n",
     "policies.yaml:4:22: key already used by team 'a'"},
    {"BadSha256Key", MODEL "teams:\n  - {name: a, keys: ['sha256:abc']}\n",
     "policies.yaml:3:22: teams[0].keys[0]: a sha256: key needs exactly 64 hex digits after 'sha256:'"},

    // --- Environment variables ---
    {"UnsetVariable", "local_models:\n  - name: m\n    path: ${MODEL_DIR}/m.gguf\n",
     "policies.yaml:3:11: environment variable MODEL_DIR is not set"},
    {"UnsetVariableInTeamKey", MODEL "teams:\n  - name: clinic\n    keys: [${CLINIC_KEY}]\n",
     "policies.yaml:4:12: environment variable CLINIC_KEY is not set"},
    {"UnsetVariableInNumber", "server:\n  max_body_bytes: ${MAX_BODY}\n",
     "policies.yaml:2:19: environment variable MAX_BODY is not set"},
    {"SetVariableNotANumber", "server:\n  max_body_bytes: ${SET}\n",
     "policies.yaml:2:19: server.max_body_bytes: expected an integer, got 'value'"},
    {"BadVariableName", MODEL "server:\n  admin_token: ${1TOKEN}\n",
     "policies.yaml:3:16: server.admin_token: bad environment variable reference '${1TOKEN}'"},
    {"UnterminatedVariable", MODEL "server:\n  admin_token: \"${TOKEN\"\n",
     "policies.yaml:3:16: server.admin_token: unterminated ${ (expected ${NAME} or ${NAME:-default})"},
};

#undef MODEL

class ConfigErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ConfigErrors, ReportsExactPositionAndMessage) {
  const ErrorCase& c = GetParam();
  EXPECT_EQ(test::error_of(c.yaml, test::env_of({{"SET", "value"}})), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Table, ConfigErrors, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<ErrorCase>& info) { return std::string(info.param.name); });

TEST(ConfigErrorsNeverLeak, KeysAndSecretsStayOutOfMessages) {
  const std::string secret = "sha256:zz-super-secret-key-material-zz";
  const std::string msg = test::error_of("local_models: [{name: m, path: m}]\nteams:\n  - {name: a, keys: ['" + secret + "']}\n",
                                         test::env_of({}));
  EXPECT_EQ(msg.find("super-secret"), std::string::npos) << msg;
  const std::string dup = test::error_of(
      "local_models: [{name: m, path: m}]\nteams:\n  - {name: a, keys: [hunter2]}\n  - {name: b, keys: [hunter2]}\n",
      test::env_of({}));
  EXPECT_EQ(dup.find("hunter2"), std::string::npos) << dup;
}

}  // namespace
}  // namespace sb::config
