// The mask-based token estimate against a byte-by-byte reading of the rule in
// token_estimate.h, on random valid UTF-8 (runs crossing 64-byte blocks included) and on
// the real prompts of ../shared.
#include "policies/decision/token_estimate.h"

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/paths.h"

namespace sb::policies {
namespace {

bool is_letter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The rule, one run at a time, in twentieths of a token (valid UTF-8 only).
int64_t reference_tokens(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  int64_t twentieths = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    const unsigned char c = p[i];
    if (is_letter(c)) {
      size_t capitals = 0;
      for (;;) {
        if (j < n && is_letter(p[j])) {
          capitals += p[j] >= 'A' && p[j] <= 'Z';
          ++j;
        } else if (j + 1 < n && (p[j] & 0xE0) == 0xC0 && is_continuation(p[j + 1])) {
          j += 2;
        } else {
          break;
        }
      }
      const int64_t len = static_cast<int64_t>(j - i);
      twentieths += capitals >= 2 ? 8 * len : 20 + 5 * std::max<int64_t>(0, len - 7);
    } else if (is_digit(c)) {
      while (j < n && is_digit(p[j])) ++j;
      twentieths += 20 * static_cast<int64_t>((j - i + 2) / 3);
    } else if (is_space(c)) {
      while (j < n && is_space(p[j])) ++j;
      if (j - i != 1 || c != ' ') twentieths += 20;
    } else if (c < 0x80) {
      while (j < n && p[j] == c && j - i < 4) ++j;
      twentieths += 20;
    } else {
      while (j < n && is_continuation(p[j])) ++j;
      twentieths += c >= 0xF0 ? 40 : c >= 0xE0 ? 24 : 20;
    }
    i = j;
  }
  return (twentieths + 10) / 20;
}

TEST(TokenEstimate, MatchesTheRuleOnRandomText) {
  // Pieces that make every kind of run, and long ones that cross block boundaries.
  const std::vector<std::string> pieces = {
      "a", "B", "zz", "QQ", "\xc3\xa9", "\xc3\x89", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", " ", "  ", "\n", "\t", "\r",
      "1", "12", "-", "--", ".", "_", "x", "Hello", "ID", "aB", std::string(1, '\0'), "\x7f", "Ab1\xc3\xa9",
      "\xc3\x89T\xc3\x89", std::string(70, 'k'), std::string(67, '7'), std::string(66, '='), std::string(65, ' ')};
  std::mt19937 rng(11);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const size_t count = rng() % 120;
    for (size_t i = 0; i < count; ++i) text += pieces[rng() % pieces.size()];
    ASSERT_EQ(estimate_text_tokens(text), reference_tokens(text)) << text;
  }
}

TEST(TokenEstimate, MatchesTheRuleOnRealPrompts) {
  size_t texts = 0;
  for (const auto& [file, field] : {std::pair{"routing/routellm_eval.jsonl", "prompt"}, std::pair{"policy/pii_public.jsonl", "text"}}) {
    std::ifstream in(sb::test::shared_dir() / file);
    for (std::string line; std::getline(in, line); ++texts) {
      const std::string text = nlohmann::json::parse(line)[field].get<std::string>();
      ASSERT_EQ(estimate_text_tokens(text), reference_tokens(text)) << file << ": " << text;
    }
  }
  EXPECT_GT(texts, 10000u);
}

TEST(TokenEstimate, InvalidUtf8IsEstimatedWithoutReadingPastTheText) {
  // Stray continuation bytes cost nothing; a cut sequence is one character.
  EXPECT_EQ(estimate_text_tokens("\x80\x80\x80"), 0);
  EXPECT_EQ(estimate_text_tokens("ab\xc3"), 2);
  EXPECT_EQ(estimate_text_tokens(std::string_view("\xe4", 1)), 1);
}

}  // namespace
}  // namespace sb::policies
