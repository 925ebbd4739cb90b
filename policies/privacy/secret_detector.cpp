#include "policies/privacy/secret_detector.h"

#include <algorithm>
#include <array>
#include <span>
#include <string>

#include "policies/privacy/secret_token_rules.h"
#include "policies/privacy/text_scan.h"

namespace sb::policies {
namespace {

using namespace text;

// Characters of a token as the secret rules see one: keys, JWTs ('.'), base64 ('+', '/').
constexpr bool is_token_char(char c) { return is_word(c) || c == '-' || c == '.' || c == '+' || c == '/'; }

// Where a secret may be: a digit, '-', '_', '=' or ':' (assignments), "AK"/"AS"/"AB"/"AC"/"AI"
// (AWS and Google key prefixes) or the 'J' of "eyJ" (JWT). Capitals that start words in prose
// are not anchors, which keeps clean text on the vectorised path.
bool is_anchor_at(std::string_view text, size_t i) {
  const char c = text[i];
  if (is_digit(c) || c == '-' || c == '_' || c == '=' || c == ':') return true;
  if (c == 'A') {
    const char next = at(text, i + 1);
    return next == 'K' || next == 'S' || next == 'B' || next == 'C' || next == 'I';
  }
  return c == 'J' && before(text, i) == 'y' && before(text, i - 1) == 'e';
}

size_t find_anchor(std::string_view text, size_t from) {
  for (size_t i = from; (i = find_digit_or<'-', '_', 'A', 'J', '=', ':'>(text, i)) != npos; ++i)
    if (is_anchor_at(text, i)) return i;
  return npos;
}

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

constexpr auto kPasswordWords =
    std::to_array<std::string_view>({"password", "passwd", "pwd", "passphrase", "pass", "pw"});

bool is_one_of(std::string_view component, std::span<const std::string_view> words) {
  if (component.size() > 16) return false;
  std::array<char, 16> lower{};
  for (size_t i = 0; i < component.size(); ++i) lower[i] = to_lower(component[i]);
  const std::string_view word(lower.data(), component.size());
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Whether an identifier has a component among `words`: OPENAI_API_KEY, apiKey, x-api-key, APIKEY.
bool has_component(std::string_view word, std::span<const std::string_view> words) {
  size_t begin = 0;
  for (size_t i = 1; i <= word.size(); ++i) {
    const bool boundary = i == word.size() || word[i] == '_' || word[i] == '-' ||
                          (is_lower(word[i - 1]) && is_upper(word[i])) || (is_alpha(word[i - 1]) != is_alpha(word[i]));
    if (!boundary) continue;
    const std::string_view component = word.substr(begin, i - begin);
    if (!component.empty() && is_alpha(component[0]) && is_one_of(component, words)) return true;
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
    if (has_component(word, kKeyWords)) return word;
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

// ---- Values assigned to a password-like key ---------------------------------------------

constexpr size_t kMinPassword = 8, kMaxPassword = 128;

constexpr bool is_password_char(char c) {
  return c > ' ' && c < 127 && c != '"' && c != '\'' && c != '`' && c != ',' && c != ';';
}

// "password=S3cr3tP@ss!", "DB_PASSWD: 'x7#Kq9!v'", "\"pwd\": \"...\"": the value assigned at the
// '=' or ':' at `op` to a key whose last component is password-like, when it is at least 8
// characters of three character classes (lower, upper, digit, symbol).
std::optional<Finding> password_assignment(std::string_view text, size_t op) {
  constexpr size_t kMaxSpaces = 8, kLongestWord = 10;
  const auto is_quote = [](char c) { return c == '"' || c == '\''; };
  size_t key_end = op;
  while (key_end > 0 && op - key_end < kMaxSpaces && text[key_end - 1] == ' ') --key_end;
  if (key_end > 0 && is_quote(text[key_end - 1])) --key_end;
  // Every password word ends in d, e, s or w: most keys ("Note:", "Tel:") stop here.
  const char last = to_lower(before(text, key_end));
  if (last != 'd' && last != 'e' && last != 's' && last != 'w') return std::nullopt;
  size_t word_start = key_end;  // the last component of the key: DB_PASSWORD, dbPassword, passwd
  while (word_start > 0 && key_end - word_start < kLongestWord && is_alpha(text[word_start - 1])) {
    --word_start;
    if (is_upper(text[word_start]) && is_lower(before(text, word_start))) break;  // camelCase boundary
  }
  const char prev = before(text, word_start);
  const bool camel_boundary = is_lower(prev) && is_upper(at(text, word_start));
  if (word_start == key_end || (is_alpha(prev) && !camel_boundary)) return std::nullopt;  // "bypass"
  const std::string_view word = text.substr(word_start, key_end - word_start);
  if (!is_one_of(word, kPasswordWords)) return std::nullopt;
  size_t start = op + 1;
  while (at(text, start) == ' ' && start - op <= kMaxSpaces) ++start;
  if (is_quote(at(text, start))) ++start;
  size_t end = start;
  while (end < text.size() && end - start <= kMaxPassword && is_password_char(text[end])) ++end;
  while (end > start && (text[end - 1] == '.' || text[end - 1] == ')')) --end;  // sentence punctuation
  const std::string_view value = text.substr(start, end - start);
  if (value.size() < kMinPassword || value.size() > kMaxPassword) return std::nullopt;
  bool lower = false, upper = false, digit = false, symbol = false;
  for (char c : value) {
    lower = lower || is_lower(c);
    upper = upper || is_upper(c);
    digit = digit || is_digit(c);
    symbol = symbol || !is_alnum(c);
  }
  if (int(lower) + int(upper) + int(digit) + int(symbol) < 3) return std::nullopt;
  return Finding{std::string(kSecret), start, end, "secret.password_assignment", "strength+keyword:" + std::string(word)};
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
  for (size_t anchor; (anchor = find_anchor(text, pos)) != npos;) {
    if (text[anchor] == '=' || text[anchor] == ':') {
      std::optional<Finding> password = password_assignment(text, anchor);
      pos = password ? password->end : anchor + 1;
      if (password) out.push_back(std::move(*password));
      continue;
    }
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
