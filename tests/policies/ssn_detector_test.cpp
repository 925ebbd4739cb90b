#include "policies/privacy/ssn_detector.h"

#include <gtest/gtest.h>

#include "tests/policies/detector_test_util.h"

namespace sb::policies {
namespace {

using test::found;
using test::Values;

const SsnDetector kSsnDetector;

TEST(SsnDetectorTest, KnowsTheRangesNeverIssued) {
  EXPECT_TRUE(ssn_issuable("210629999"));
  EXPECT_TRUE(ssn_issuable("899011234"));
  EXPECT_FALSE(ssn_issuable("000123456"));
  EXPECT_FALSE(ssn_issuable("666123456"));
  EXPECT_FALSE(ssn_issuable("900123456"));
  EXPECT_FALSE(ssn_issuable("123003456"));
  EXPECT_FALSE(ssn_issuable("123450000"));
  EXPECT_FALSE(ssn_issuable("078051120"));
  EXPECT_FALSE(ssn_issuable("219099999"));
}

TEST(SsnDetectorTest, FindsDashedNumbers) {
  EXPECT_EQ(found(kSsnDetector, "The applicant's SSN is 210-62-9999; thanks"), Values{"210-62-9999"});
  EXPECT_EQ(found(kSsnDetector, "ids 778-55-4566 and 058-56-9238."), (Values{"778-55-4566", "058-56-9238"}));
  const auto findings = test::findings_of(kSsnDetector, "778-55-4566");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0], (Finding{"US_SSN", 0, 11, "ssn.formatted", "ssa-ranges"}));
}

TEST(SsnDetectorTest, SpacedOrBareDigitsNeedACue) {
  EXPECT_EQ(found(kSsnDetector, "SSN: 778 55 4566"), Values{"778 55 4566"});
  EXPECT_EQ(found(kSsnDetector, "social security number 778554566"), Values{"778554566"});
  EXPECT_EQ(found(kSsnDetector, "pages 778 55 4566"), Values{});
  EXPECT_EQ(found(kSsnDetector, "order 778554566"), Values{});
  const auto findings = test::findings_of(kSsnDetector, "SSN 778554566");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].validated_by, "ssa-ranges+cue:SSN");
}

TEST(SsnDetectorTest, IgnoresInvalidAndLookalikes) {
  for (const char* text : {"000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000",
                           "078-05-1120", "686-876-2226", "70984-3854", "2024-08-03", "978-0-89-623176-3",
                           "1-210-62-9999", "210-62-99999", "A210-62-9999", "210-62-9999-1", "ORD-210-62-9999"})
    EXPECT_EQ(found(kSsnDetector, text), Values{}) << text;
}

}  // namespace
}  // namespace sb::policies
