#include "policies/privacy/privacy_scanner.h"

#include <random>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

namespace sb::policies {
namespace {

config::PrivacyConfig with_codenames() {
  config::PrivacyConfig config;
  config.custom.push_back({"PROJECT_CODENAME", R"(\b(?:BLUEJAY|NIGHTOWL)\b)", {}});
  return config;
}

std::vector<std::string> types_of(const std::vector<Finding>& findings) {
  std::vector<std::string> types;
  for (const Finding& f : findings) types.push_back(f.type);
  return types;
}

TEST(PrivacyScannerTest, RunsEveryDetectorAndSortsByStart) {
  const PrivacyScanner scanner(with_codenames());
  const std::string text =
      "Customer elena@example.com (phone +49 30 2527375) paid with 4398 2597 9190 7482 from 10.0.0.1; "
      "SSN 210-62-9999, DOB 10.05.1966, MRN 88328247, IBAN DE89 3704 0044 0532 0130 00, "
      "key AKIA6BKZXHSNPMXTQKE5, project NIGHTOWL.";
  const std::vector<Finding> findings = scanner.scan(text);
  EXPECT_EQ(types_of(findings),
            (std::vector<std::string>{"EMAIL", "PHONE", "CREDIT_CARD", "IP_ADDRESS", "US_SSN", "DATE_OF_BIRTH",
                                      "MEDICAL_RECORD_NUMBER", "IBAN", "SECRET", "PROJECT_CODENAME"}));
  for (size_t i = 1; i < findings.size(); ++i) EXPECT_LE(findings[i - 1].end, findings[i].start);
}

TEST(PrivacyScannerTest, FindsNothingInCleanProse) {
  const PrivacyScanner scanner{config::PrivacyConfig{}};
  EXPECT_TRUE(scanner.scan("Explain the difference between TCP and UDP in two paragraphs.").empty());
  EXPECT_TRUE(scanner.scan("").empty());
}

TEST(PrivacyScannerTest, ResolvesOverlapsKeepingTheLongerThenTheMoreSpecific) {
  const std::vector<Finding> resolved = resolve_overlaps({
      {"PHONE", 10, 20, "p", ""},
      {"CREDIT_CARD", 8, 27, "c", ""},  // longest: wins over both it overlaps
      {"IP_ADDRESS", 25, 30, "i", ""},
      {"PROJECT_CODENAME", 40, 45, "x", ""},
      {"SECRET", 40, 45, "s", ""},  // same span: the more specific type wins
      {"EMAIL", 0, 5, "e", ""},
  });
  EXPECT_EQ(types_of(resolved), (std::vector<std::string>{"EMAIL", "CREDIT_CARD", "SECRET"}));
}

TEST(PrivacyScannerTest, RejectsABadCustomRegex) {
  config::PrivacyConfig config;
  config.custom.push_back({"BAD_ONE", "[z-a]", {}});
  EXPECT_THROW(PrivacyScanner{config}, std::invalid_argument);
}

TEST(PrivacyScannerTest, ScansConcurrently) {
  const PrivacyScanner scanner(with_codenames());
  const std::string text = "mail a@b.io, card 4398-2597-9190-7482, BLUEJAY, ghp_U3g7MD5PUN1vu35mCdaMxE3vPIDViRTA1pbE";
  const std::vector<Finding> expected = scanner.scan(text);
  ASSERT_EQ(expected.size(), 4u);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        if (scanner.scan(text) != expected) ++mismatches[static_cast<size_t>(t)];
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, (std::vector<int>{0, 0, 0, 0}));
}

// Random mixes of the characters detectors react to: findings stay inside the text, sorted,
// without overlaps, and scanning never fails.
TEST(PrivacyScannerTest, KeepsItsInvariantsOnRandomText) {
  const PrivacyScanner scanner(with_codenames());
  const std::string alphabet = "0123456789 -.:/@+()_=AJKIaezskghpxoBEGINPRVTY\n\"'#\xc3\xa9";
  std::mt19937 rng(12345);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const size_t length = rng() % 200;
    for (size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
    if (round % 7 == 0) text += "-----BEGIN RSA PRIVATE KEY-----\nAAAA";
    const std::vector<Finding> findings = scanner.scan(text);
    for (size_t i = 0; i < findings.size(); ++i) {
      ASSERT_LT(findings[i].start, findings[i].end) << text;
      ASSERT_LE(findings[i].end, text.size()) << text;
      if (i > 0) {
        ASSERT_LE(findings[i - 1].end, findings[i].start) << text;
      }
    }
  }
}

TEST(CodepointOffsetTest, CountsUtf8CodePoints) {
  const std::string text = "héllo → 😀 a@b.io";  // é: 2 bytes, →: 3 bytes, 😀: 4 bytes
  EXPECT_EQ(codepoint_offset(text, 0), 0u);
  EXPECT_EQ(codepoint_offset(text, 3), 2u);
  EXPECT_EQ(codepoint_offset(text, text.size()), 16u);
  EXPECT_EQ(codepoint_offset(text, text.size() + 10), 16u);
  const PrivacyScanner scanner{config::PrivacyConfig{}};
  const auto findings = scanner.scan(text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(codepoint_offset(text, findings[0].start), 10u);
  EXPECT_EQ(codepoint_offset(text, findings[0].end), 16u);
}

}  // namespace
}  // namespace sb::policies
