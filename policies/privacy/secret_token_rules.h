#pragma once
// The token-shaped secrets the SECRET detector recognises where a token starts: provider
// keys by their documented prefixes and alphabets, and JSON Web Tokens.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sb::policies {

// No token rule matches fewer characters than this (prefix and body together).
inline constexpr size_t kMinTokenSecretLength = 16;

struct TokenMatch {
  size_t end = 0;            // byte offset after the secret
  std::string_view rule;     // e.g. "secret.github_pat"
  std::string validated_by;  // e.g. "prefix:ghp_", "json-header"
};

// A provider key starting exactly at `start`: OpenAI (sk-, sk-proj-, ...), Anthropic
// (sk-ant-), AWS access key ids (AKIA/ASIA...), GitHub (ghp_, github_pat_, ...), Slack
// (xoxb-, ...), Stripe (sk_live_, rk_test_, whsec_), Google (AIza, GOCSPX-, ya29.), plus
// GitLab, Hugging Face and npm tokens. The body must have the provider's alphabet and
// length and look random (entropy), so "sk-learn" or "AKIAAAAAAAAAAAAAAAAA" do not count.
std::optional<TokenMatch> match_provider_key(std::string_view text, size_t start);

// A JWT (header.payload.signature, base64url) starting at `start` whose header decodes to
// a JSON object.
std::optional<TokenMatch> match_jwt(std::string_view text, size_t start);

// Shannon entropy of the byte distribution, in bits per byte.
double shannon_entropy(std::string_view s);

}  // namespace sb::policies
