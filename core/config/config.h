#pragma once
// The validated, immutable configuration (policies.yaml; contract: ../shared/CONFIG.md).
// Built once by load_config(); shared read-only by every request afterwards.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sb::config {

// "file:line:col: message" — what every configuration error prints.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& file, int line, int col, const std::string& message);
  // An error with no position (file missing, unreadable): "file: message".
  ConfigError(const std::string& file, const std::string& message);
  const std::string& file() const { return file_; }
  int line() const { return line_; }  // 1-based; 0 when unknown
  int col() const { return col_; }    // 1-based; 0 when unknown
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  int line_ = 0;
  int col_ = 0;
  std::string message_;
};

enum class Locality { Device, Remote };
enum class ProviderKind { OpenAI, Anthropic, Gemini, OpenAICompatible };
enum class PrivacyAction { Allow, Redact, LocalOnly, Block };  // ordered: later is stricter
enum class LedgerDriver { Sqlite, Postgres };

const char* to_string(Locality v);
const char* to_string(ProviderKind v);
const char* to_string(PrivacyAction v);
const char* to_string(LedgerDriver v);

struct ServerConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::optional<std::string> admin_token;  // admin API off when unset
  uint64_t max_body_bytes = 4 * 1024 * 1024;
  int64_t request_timeout_ms = 600000;
};

struct LedgerConfig {
  LedgerDriver driver = LedgerDriver::Sqlite;
  std::filesystem::path path = "switchboard.db";  // sqlite; relative to the config file
  std::string dsn;                                // postgres
};

struct LocalModelConfig {
  std::string name;
  std::filesystem::path path;  // relative paths are resolved against the config file's folder
  int64_t context = 2048;
  int parallel = 1;
  int threads = 0;  // 0 = hardware concurrency
  std::string chat_template = "auto";
  std::optional<int64_t> keep_alive_s;  // unload after this long idle; nullopt = never
  bool lazy_load = false;
};

struct ProviderConfig {
  std::string name;
  ProviderKind kind = ProviderKind::OpenAICompatible;
  std::string base_url;
  std::string api_key;  // expanded; empty when the provider needs none
  std::vector<std::string> models;
  int64_t timeout_ms = 60000;           // the whole call, streaming included
  int64_t connect_timeout_ms = 10000;   // TCP + TLS handshake
  std::optional<int64_t> first_byte_timeout_ms;  // until the answer starts; nullopt = timeout_ms
  int64_t idle_timeout_ms = 30000;      // longest silence between two pieces of the answer
  int max_retries = 2;                  // retries on the same target before falling back
  Locality locality = Locality::Remote;
  bool enabled = true;         // false when a ${VAR} it uses is unset
  std::string disabled_reason; // e.g. "OPENAI_API_KEY is not set"
};

struct Price {  // USD per 1M tokens
  double input = 0;
  double output = 0;
  std::optional<double> cached_input;
};

struct RouteConfig {
  std::string model;               // the virtual model name clients ask for
  std::vector<std::string> local;  // local model names
  std::vector<std::string> cloud;  // concrete model names in fallback order
  // Set: local first when the difficulty score is below it, cloud first otherwise.
  // Unset: cloud first, local models as the last resort.
  std::optional<double> difficulty_threshold;
};

struct CustomDetectorConfig {
  std::string name;                   // the finding type it reports, e.g. PROJECT_CODENAME
  std::string regex;                  // RE2 syntax; empty when keywords are used
  std::vector<std::string> keywords;  // matched case-insensitively on word boundaries
};

struct PrivacyConfig {
  std::vector<CustomDetectorConfig> custom;
  std::map<std::string, PrivacyAction> actions;  // finding type -> default action
};

struct Budget {
  std::optional<double> daily_usd;
  std::optional<double> monthly_usd;
};

struct RateLimit {
  std::optional<int64_t> rpm;
  std::optional<int64_t> tpm;
};

struct TeamPrivacy {
  std::optional<PrivacyAction> default_action;   // applies to every request of the team
  std::map<std::string, PrivacyAction> actions;  // overrides the global action per type
};

using KeyHash = std::array<uint8_t, 32>;  // SHA-256 of the API key

struct TeamConfig {
  std::string name;
  std::vector<KeyHash> key_hashes;
  Budget budget;
  RateLimit rate_limit;
  TeamPrivacy privacy;
};

// What a concrete model name resolves to.
struct ModelRef {
  enum class Kind { Local, Remote };
  Kind kind = Kind::Local;
  const LocalModelConfig* local = nullptr;   // Kind::Local
  const ProviderConfig* provider = nullptr;  // Kind::Remote: first provider listing the model
};

struct Config {
  std::filesystem::path source;  // the file it was loaded from
  ServerConfig server;
  LedgerConfig ledger;
  std::vector<LocalModelConfig> local_models;
  std::vector<ProviderConfig> providers;
  std::map<std::string, Price> prices;
  std::vector<RouteConfig> routes;
  PrivacyConfig privacy;
  std::vector<TeamConfig> teams;
  std::vector<std::string> warnings;  // one line each, e.g. a provider disabled for a missing key

  const RouteConfig* find_route(std::string_view model) const;
  // A local model, or the first provider (enabled or not) that lists the model.
  std::optional<ModelRef> find_model(std::string_view model) const;
  const ProviderConfig* find_provider(std::string_view name) const;
  const TeamConfig* find_team(std::string_view name) const;
};

// Looks up an environment variable; injected so tests need no global environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvLookup process_env();

// Parses and validates; throws ConfigError naming file, line and column.
// Scalar values may use ${VAR} (an error when VAR is unset or empty, except: inside a
// provider entry the provider is disabled with a warning; in server.admin_token the admin
// API is off) and ${VAR:-default} (default when VAR is unset or empty); see env_expand.h.
// Relative paths (local_models[].path, ledger.path) resolve against file_name's folder.
Config parse_config(const std::string& yaml_text, const std::string& file_name, const EnvLookup& env);
Config load_config(const std::filesystem::path& path, const EnvLookup& env);

KeyHash sha256(std::string_view data);

}  // namespace sb::config
