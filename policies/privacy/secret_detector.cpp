#include "policies/privacy/secret_detector.h"

#include <algorithm>
#include <array>
#include <string>

#include "policies/privacy/secret_token_rules.h"
#include "policies/privacy/text_scan.h"

namespace sb::policies {
namespace {

using namespace text;

// Characters of a token as the secret rules see one: keys, JWTs ('.'), base64 ('+', '/').
constexpr bool is_token_char(char c) { return is_word(c) || c == '-' || c == '.' || c == '+' || c == '/'; }

// ---- PEM private keys --------------------------------------------------------------------

constexpr std::string_view kPemBegin = "-----BEGIN ", kPemEnd = "-----END ", kPemDashes = "-----";
constexpr size_t kMaxPemLabel = 64;

// End of the "-----" that closes a PEM armor label starting at `label`, on the same line.
size_t armor_line_end(std::string_view text, size_t label) {
  const size_t close = text.substr(0, std::min(text.size(), label + kMaxPemLabel)).find(kPemDashes, label);
  if (close == npos || text.substr(label, close - label).find('\n') != npos) return npos;
  return close + kPemDashes.size();
}

constexpr bool is_pem_body_char(char c) { return is_alnum(c) || c == '+' || c == '/' || c == '='; }

// End of the key material after a BEGIN line whose END line is missing: the lines of
// base64 (and "Proc-Type:"-style headers) up to the first blank or other line.
size_t truncated_body_end(std::string_view text, size_t header_end) {
  size_t end = header_end, pos = header_end;
  bool seen_base64 = false;
  while (pos < text.size()) {
    if (text[pos] == '\n' || text[pos] == '\r') {
      ++pos;
      continue;
    }
    const size_t line_end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, line_end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool base64 = !line.empty() && std::all_of(line.begin(), line.end(), is_pem_body_char);
    const bool header = !seen_base64 && line.find(": ") != npos;  // "Proc-Type: 4,ENCRYPTED"
    if (!base64 && !header) break;
    seen_base64 = seen_base64 || base64;
    end = pos + line.size();
    if (line_end < text.size() && at(text, line_end + 1) == '\n') break;  // a blank line ends the block
    pos = line_end;
  }
  return end;
}

// Scans PEM blocks; remembers where an END marker is known to be missing so that many
// BEGIN lines without an END cost one search in all (linear time).
class PemScanner {
 public:
  // End of the private-key block starting at `begin`, or npos when it is none.
  size_t block_end(std::string_view text, size_t begin) {
    if (!text.substr(begin).starts_with(kPemBegin)) return npos;
    const size_t label = begin + kPemBegin.size();
    const size_t header_end = armor_line_end(text, label);
    if (header_end == npos) return npos;
    if (text.substr(label, header_end - label).find("PRIVATE KEY") == npos) return npos;
    size_t end_marker = npos;
    if (header_end < no_end_from_) {
      end_marker = text.find(kPemEnd, header_end);
      if (end_marker == npos) no_end_from_ = header_end;
    }
    if (end_marker != npos) {
      const size_t end = armor_line_end(text, end_marker + kPemEnd.size());
      if (end != npos) return end;
    }
    return truncated_body_end(text, header_end);
  }

 private:
  size_t no_end_from_ = npos;
};

// ---- High-entropy tokens after a key-like word -------------------------------------------

constexpr auto kKeyWords = std::to_array<std::string_view>(
    {"key", "keys", "apikey", "token", "tokens", "secret", "secrets", "password", "passwords", "passwd",
     "pwd", "passphrase", "credential", "credentials", "auth", "authorization", "bearer",
     "privatekey", "accesskey", "secretkey", "apitoken", "accesstoken"});
constexpr size_t kKeyWordWindow = 48, kMinEntropyToken = kMinTokenSecretLength, kMaxEntropyToken = 512;

bool is_key_word(std::string_view component) {
  if (component.size() > 16) return false;
  std::array<char, 16> lower{};
  for (size_t i = 0; i < component.size(); ++i) lower[i] = to_lower(component[i]);
  const std::string_view word(lower.data(), component.size());
  return std::find(kKeyWords.begin(), kKeyWords.end(), word) != kKeyWords.end();
}

// Whether an identifier has a key-like component: OPENAI_API_KEY, apiKey, x-api-key, APIKEY.
bool has_key_component(std::string_view word) {
  size_t begin = 0;
  for (size_t i = 1; i <= word.size(); ++i) {
    const bool boundary = i == word.size() || word[i] == '_' || word[i] == '-' ||
                          (is_lower(word[i - 1]) && is_upper(word[i])) || (is_alpha(word[i - 1]) != is_alpha(word[i]));
    if (!boundary) continue;
    const std::string_view component = word.substr(begin, i - begin);
    if (!component.empty() && is_alpha(component[0]) && is_key_word(component)) return true;
    begin = i < word.size() && !is_alnum(word[i]) ? i + 1 : i;
  }
  return false;
}

// The key-like word before `pos` on the same line, within kKeyWordWindow bytes, or "".
std::string_view key_word_before(std::string_view text, size_t pos) {
  const size_t limit = pos > kKeyWordWindow ? pos - kKeyWordWindow : 0;
  size_t i = pos;
  while (i > limit) {
    const char c = text[i - 1];
    if (c == '\n') return {};
    if (!is_word(c) && c != '-') {
      --i;
      continue;
    }
    const size_t word_end = i;
    while (i > limit && (is_word(text[i - 1]) || text[i - 1] == '-')) --i;
    const std::string_view word = text.substr(i, word_end - i);
    if (has_key_component(word)) return word;
  }
  return {};
}

constexpr bool is_entropy_token_char(char c) { return is_word(c) || c == '-' || c == '+' || c == '/'; }

constexpr bool is_segment_separator(char c) { return c == '-' || c == '_' || c == '/' || c == '+'; }

// Whether a piece of a token looks generated: letters mixed with digits, or upper and lower
// case alternating often ("K7MDENG", "wJalrXUtnFEMI"), unlike words and numbers ("review", "2024").
bool segment_looks_random(std::string_view segment) {
  bool digit = false, letter = false;
  size_t case_switches = 0;
  for (size_t i = 0; i < segment.size(); ++i) {
    digit = digit || is_digit(segment[i]);
    letter = letter || is_alpha(segment[i]);
    if (i > 0 && is_alpha(segment[i]) && is_alpha(segment[i - 1]) && is_upper(segment[i]) != is_upper(segment[i - 1]))
      ++case_switches;
  }
  return (digit && letter) || (segment.size() >= 8 && case_switches * 4 >= segment.size());
}

// Whether most of a token is made of random-looking segments: an identifier or slug such as
// "project-2024-budget-review" is not.
bool looks_random(std::string_view token) {
  size_t random_chars = 0, begin = 0;
  for (size_t i = 0; i <= token.size(); ++i) {
    if (i < token.size() && !is_segment_separator(token[i])) continue;
    const std::string_view segment = token.substr(begin, i - begin);
    if (segment_looks_random(segment)) random_chars += segment.size();
    begin = i + 1;
  }
  return random_chars * 2 >= token.size();
}

std::optional<Finding> keyword_entropy_secret(std::string_view text, size_t start) {
  size_t end = start;
  while (end < text.size() && end - start < kMaxEntropyToken && is_entropy_token_char(text[end])) ++end;
  const std::string_view token = text.substr(start, end - start);
  if (token.size() < kMinEntropyToken || !looks_random(token)) return std::nullopt;
  const double threshold = token.size() >= 24 ? 3.5 : 3.0;  // short tokens cannot reach high entropy
  if (shannon_entropy(token) < threshold) return std::nullopt;
  for (int pad = 0; pad < 2 && at(text, end) == '='; ++pad) ++end;  // base64 padding
  if (is_alnum(at(text, end))) return std::nullopt;
  const std::string_view word = key_word_before(text, start);
  if (word.empty()) return std::nullopt;
  return Finding{std::string(kSecret), start, end, "secret.keyword_entropy", "entropy+keyword:" + std::string(word)};
}

std::optional<Finding> token_secret(std::string_view text, size_t start) {
  std::optional<TokenMatch> match = match_provider_key(text, start);
  if (!match) match = match_jwt(text, start);
  if (match)
    return Finding{std::string(kSecret), start, match->end, std::string(match->rule), std::move(match->validated_by)};
  return keyword_entropy_secret(text, start);
}

}  // namespace

void SecretDetector::scan(std::string_view text, std::vector<Finding>& out) const {
  PemScanner pem;
  size_t pos = 0;
  for (size_t anchor; (anchor = find_digit_or<'-', '_', 'A', 'J'>(text, pos)) != npos;) {
    if (text[anchor] == '-') {
      const size_t end = pem.block_end(text, anchor);
      if (end != npos) {
        out.push_back({std::string(kSecret), anchor, end, "secret.pem_private_key", "pem-armor"});
        pos = end;
        continue;
      }
    }
    size_t start = anchor, end = anchor;
    while (start > pos && is_token_char(text[start - 1])) --start;
    while (end < text.size() && is_token_char(text[end])) ++end;
    pos = end;
    if (end - start < kMinTokenSecretLength) continue;  // words: the common case, and never a secret
    if (is_token_char(before(text, start))) continue;  // the token began inside a block just reported
    if (std::optional<Finding> finding = token_secret(text, start)) {
      pos = std::max(pos, finding->end);
      out.push_back(std::move(*finding));
    }
  }
}

}  // namespace sb::policies
