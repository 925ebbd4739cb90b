#include "policies/privacy/secret_token_rules.h"

#include <array>
#include <cmath>
#include <cstdint>

#include <utility>

#include <nlohmann/json.hpp>

#include "policies/privacy/text_scan.h"

namespace sb::policies {
namespace {

using namespace text;

enum class Alphabet { Alnum, AlnumDashUnderscore, AlnumUnderscore, AlnumDash, UpperDigit, Base64 };

constexpr bool in_alphabet(Alphabet a, char c) {
  switch (a) {
    case Alphabet::Alnum: return is_alnum(c);
    case Alphabet::AlnumDashUnderscore: return is_alnum(c) || c == '-' || c == '_';
    case Alphabet::AlnumUnderscore: return is_alnum(c) || c == '_';
    case Alphabet::AlnumDash: return is_alnum(c) || c == '-';
    case Alphabet::UpperDigit: return is_upper(c) || is_digit(c);
    case Alphabet::Base64: return is_alnum(c) || c == '+' || c == '/' || c == '=';
  }
  return false;
}

struct PrefixRule {
  std::string_view prefix;  // case-sensitive, as the provider issues it
  std::string_view rule;
  Alphabet body;
  size_t min_body, max_body;
};

// Longer prefixes before the shorter ones they start with (sk-ant- before sk-).
constexpr auto kPrefixRules = std::to_array<PrefixRule>({
    {"sk-ant-", "secret.anthropic", Alphabet::AlnumDashUnderscore, 32, 512},
    {"sk-proj-", "secret.openai_project", Alphabet::AlnumDashUnderscore, 20, 512},
    {"sk-svcacct-", "secret.openai_service_account", Alphabet::AlnumDashUnderscore, 20, 512},
    {"sk-admin-", "secret.openai_admin", Alphabet::AlnumDashUnderscore, 20, 512},
    {"sk-None-", "secret.openai_project", Alphabet::AlnumDashUnderscore, 20, 512},
    {"sk-", "secret.openai", Alphabet::Alnum, 32, 128},
    {"sk_live_", "secret.stripe", Alphabet::Alnum, 16, 256},
    {"sk_test_", "secret.stripe", Alphabet::Alnum, 16, 256},
    {"rk_live_", "secret.stripe", Alphabet::Alnum, 16, 256},
    {"rk_test_", "secret.stripe", Alphabet::Alnum, 16, 256},
    {"whsec_", "secret.stripe_webhook", Alphabet::Base64, 24, 256},
    {"ghp_", "secret.github_pat", Alphabet::Alnum, 36, 255},
    {"gho_", "secret.github_oauth", Alphabet::Alnum, 36, 255},
    {"ghu_", "secret.github_app", Alphabet::Alnum, 36, 255},
    {"ghs_", "secret.github_app", Alphabet::Alnum, 36, 255},
    {"ghr_", "secret.github_refresh", Alphabet::Alnum, 36, 255},
    {"github_pat_", "secret.github_pat", Alphabet::AlnumUnderscore, 22, 255},
    {"xoxb-", "secret.slack", Alphabet::AlnumDash, 20, 255},
    {"xoxp-", "secret.slack", Alphabet::AlnumDash, 20, 255},
    {"xoxa-", "secret.slack", Alphabet::AlnumDash, 20, 255},
    {"xoxr-", "secret.slack", Alphabet::AlnumDash, 20, 255},
    {"xoxs-", "secret.slack", Alphabet::AlnumDash, 20, 255},
    {"xoxe-", "secret.slack", Alphabet::AlnumDash, 20, 255},
    {"xapp-", "secret.slack", Alphabet::AlnumDash, 20, 255},
    {"AKIA", "secret.aws_access_key", Alphabet::UpperDigit, 16, 16},
    {"ASIA", "secret.aws_access_key", Alphabet::UpperDigit, 16, 16},
    {"ABIA", "secret.aws_access_key", Alphabet::UpperDigit, 16, 16},
    {"ACCA", "secret.aws_access_key", Alphabet::UpperDigit, 16, 16},
    {"AIza", "secret.google_api_key", Alphabet::AlnumDashUnderscore, 35, 35},
    {"GOCSPX-", "secret.google_oauth_secret", Alphabet::AlnumDashUnderscore, 24, 64},
    {"ya29.", "secret.google_oauth_token", Alphabet::AlnumDashUnderscore, 20, 2048},
    {"glpat-", "secret.gitlab", Alphabet::AlnumDashUnderscore, 20, 64},
    {"hf_", "secret.huggingface", Alphabet::Alnum, 30, 64},
    {"npm_", "secret.npm", Alphabet::Alnum, 36, 36},
});

// Random keys of 16+ characters carry well over 3 bits per character; placeholders
// ("xxxxxxxx...", "AAAA...") and words do not.
constexpr double kMinBodyEntropy = 3.0;

constexpr bool is_base64url(char c) { return is_alnum(c) || c == '-' || c == '_'; }

size_t base64url_run_end(std::string_view text, size_t pos) {
  while (pos < text.size() && is_base64url(text[pos])) ++pos;
  return pos;
}

int base64url_value(char c) {
  if (is_upper(c)) return c - 'A';
  if (is_lower(c)) return c - 'a' + 26;
  if (is_digit(c)) return c - '0' + 52;
  return c == '-' ? 62 : 63;  // '_'
}

std::string base64url_decode(std::string_view s) {
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : s) {
    bits = (bits << 6) | static_cast<unsigned>(base64url_value(c));
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

}  // namespace

double shannon_entropy(std::string_view s) {
  // H = log2(n) - sum(c * log2(c)) / n over the byte counts c; c * log2(c) from a table.
  constexpr size_t kTabled = 1024;
  static const std::array<double, kTabled + 1> kCLog2C = [] {
    std::array<double, kTabled + 1> table{};
    for (size_t c = 1; c <= kTabled; ++c) table[c] = static_cast<double>(c) * std::log2(static_cast<double>(c));
    return table;
  }();
  if (s.empty()) return 0;
  std::array<uint32_t, 256> counts{};
  for (char c : s) ++counts[static_cast<unsigned char>(c)];
  double sum = 0;
  for (char byte : s) {  // each distinct byte once: its count is cleared after use
    const uint32_t c = std::exchange(counts[static_cast<unsigned char>(byte)], 0);
    if (c > 0) sum += c <= kTabled ? kCLog2C[c] : c * std::log2(static_cast<double>(c));
  }
  const double n = static_cast<double>(s.size());
  return std::log2(n) - sum / n;
}

std::optional<TokenMatch> match_provider_key(std::string_view text, size_t start) {
  const std::string_view rest = text.substr(start);
  if (rest.empty()) return std::nullopt;
  for (const PrefixRule& r : kPrefixRules) {
    if (rest[0] != r.prefix[0] || !rest.starts_with(r.prefix)) continue;
    const size_t body_start = start + r.prefix.size();
    size_t end = body_start;
    while (end < text.size() && end - body_start <= r.max_body && in_alphabet(r.body, text[end])) ++end;
    const size_t body_len = end - body_start;
    if (body_len < r.min_body || body_len > r.max_body || is_alnum(at(text, end))) return std::nullopt;
    if (shannon_entropy(text.substr(body_start, body_len)) < kMinBodyEntropy) return std::nullopt;
    return TokenMatch{end, r.rule, "prefix:" + std::string(r.prefix)};
  }
  return std::nullopt;
}

std::optional<TokenMatch> match_jwt(std::string_view text, size_t start) {
  constexpr size_t kMinSegment = 10, kMaxHeader = 4096;
  if (!text.substr(start).starts_with("eyJ")) return std::nullopt;
  const size_t header_end = base64url_run_end(text, start);
  if (header_end - start < kMinSegment || header_end - start > kMaxHeader || at(text, header_end) != '.')
    return std::nullopt;
  const size_t payload_end = base64url_run_end(text, header_end + 1);
  if (payload_end - (header_end + 1) < kMinSegment || at(text, payload_end) != '.') return std::nullopt;
  const size_t end = base64url_run_end(text, payload_end + 1);  // the signature may be empty (alg "none")
  if (is_alnum(at(text, end))) return std::nullopt;
  const nlohmann::json header =
      nlohmann::json::parse(base64url_decode(text.substr(start, header_end - start)), nullptr, false);
  if (!header.is_object()) return std::nullopt;
  return TokenMatch{end, "secret.jwt", "json-header"};
}

}  // namespace sb::policies
