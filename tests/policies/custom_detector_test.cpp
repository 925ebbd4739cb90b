#include "policies/privacy/custom_detector.h"

#include <stdexcept>

#include <gtest/gtest.h>

#include "tests/policies/detector_test_util.h"

namespace sb::policies {
namespace {

using test::found;
using test::Values;

config::CustomDetectorConfig regex_config(std::string name, std::string regex) {
  return {std::move(name), std::move(regex), {}};
}

config::CustomDetectorConfig keyword_config(std::string name, std::vector<std::string> keywords) {
  return {std::move(name), "", std::move(keywords)};
}

TEST(CustomDetectorTest, MatchesARegex) {
  const CustomDetector detector(regex_config("PROJECT_CODENAME", R"(\b(?:BLUEJAY|NIGHTOWL)\b)"));
  EXPECT_EQ(detector.name(), "PROJECT_CODENAME");
  EXPECT_EQ(found(detector, "Ship BLUEJAY before NIGHTOWL; not BLUEJAYS."), (Values{"BLUEJAY", "NIGHTOWL"}));
  const auto findings = test::findings_of(detector, "x BLUEJAY");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0], (Finding{"PROJECT_CODENAME", 2, 9, "custom.PROJECT_CODENAME", "regex"}));
}

TEST(CustomDetectorTest, WordBoundariesSeeTheTextBeforeEachMatch) {
  const CustomDetector detector(regex_config("TICKET", R"(\bT-\d+)"));
  EXPECT_EQ(found(detector, "T-1 T-2xT-3 T-4"), (Values{"T-1", "T-2", "T-4"}));
}

TEST(CustomDetectorTest, MatchesKeywordsCaseInsensitivelyOnWordBoundaries) {
  const CustomDetector detector(keyword_config("CLIENT", {"Acme Corp", "globex", "C++"}));
  EXPECT_EQ(found(detector, "ACME CORP and Globex, not globexes; acme corporation; C++ rocks"),
            (Values{"ACME CORP", "Globex", "C++"}));
  const auto findings = test::findings_of(detector, "globex");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].validated_by, "keyword");
}

TEST(CustomDetectorTest, EmptyMatchesReportNothingAndEnd) {
  const CustomDetector detector(regex_config("AS", "a*"));
  EXPECT_EQ(found(detector, "baab a"), (Values{"aa", "a"}));
}

TEST(CustomDetectorTest, RejectsABadRegexNamingTheDetector) {
  try {
    CustomDetector detector(regex_config("BROKEN_ONE", "(unclosed"));
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("BROKEN_ONE"), std::string::npos) << e.what();
  }
  EXPECT_THROW(CustomDetector(keyword_config("EMPTY", {})), std::invalid_argument);
}

}  // namespace
}  // namespace sb::policies
