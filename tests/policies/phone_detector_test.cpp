#include "policies/privacy/phone_detector.h"

#include <gtest/gtest.h>

#include "tests/policies/detector_test_util.h"

namespace sb::policies {
namespace {

using test::found;
using test::Values;

const PhoneDetector kPhoneDetector;

TEST(PhoneDetectorTest, FindsInternationalNumbers) {
  for (const char* number : {"+1 (575) 992-2372", "+33 6 59 59 98 15", "+44 20 7946 0958", "+49 30 2527375",
                             "+4930123456", "+14155552671", "+353 1 234 5678", "+81 3-1234-5678", "+86 10 1234 5678",
                             "+7 495 123-45-67", "+33 (0)1 23 45 67 89", "+971 4 123 4567", "(+44) 20 7946 0958"})
    EXPECT_EQ(found(kPhoneDetector, std::string("Call me at ") + number + ", thanks."), Values{number}) << number;
}

TEST(PhoneDetectorTest, FindsNorthAmericanNumbers) {
  for (const char* number : {"(345) 810 7503", "686-876-2226", "415.555.2671", "1-800-555-0199", "(212)555-0100"})
    EXPECT_EQ(found(kPhoneDetector, std::string("number ") + number + " today"), Values{number}) << number;
}

TEST(PhoneDetectorTest, NationalAndBareNumbersNeedACue) {
  EXPECT_EQ(found(kPhoneDetector, "Call me on 020 7946 0958."), Values{"020 7946 0958"});
  EXPECT_EQ(found(kPhoneDetector, "Reference 020 7946 0958."), Values{});
  EXPECT_EQ(found(kPhoneDetector, "my cell: 4155552671"), Values{"4155552671"});
  EXPECT_EQ(found(kPhoneDetector, "invoice 4155552671"), Values{});
}

TEST(PhoneDetectorTest, ReportsTheCountryCode) {
  const auto findings = test::findings_of(kPhoneDetector, "+44 20 7946 0958");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "phone.e164");
  EXPECT_EQ(findings[0].validated_by, "country:+44");
}

TEST(PhoneDetectorTest, KnowsE164CountryCodes) {
  EXPECT_EQ(e164_country_code_length("14155552671"), 1u);
  EXPECT_EQ(e164_country_code_length("442079460958"), 2u);
  EXPECT_EQ(e164_country_code_length("35312345678"), 3u);
  EXPECT_EQ(e164_country_code_length("2812345678"), 0u);  // 28x is unassigned
  EXPECT_EQ(e164_country_code_length("0123"), 0u);
}

TEST(PhoneDetectorTest, IgnoresOtherNumbers) {
  for (const char* text : {"SSN 210-62-9999", "ZIP+4 70984-3854", "on 2024-08-03", "ISBN 978-0-89-623176-3",
                           "card 4111 1111 1111 1111", "host 52.112.200.119", "order ORD-2020-782952",
                           "(123) 456-7890", "212-055-0100", "+1 (123) 456-7890", "+12 345", "+28 1234 5678",
                           "5+12345678", "localhost:61826", "What is 142 * 484 = 68728?", "v1.555.555.5555",
                           "+1234567890123456", "2001:db8::1", "10.05.1966"})
    EXPECT_EQ(found(kPhoneDetector, text), Values{}) << text;
}

}  // namespace
}  // namespace sb::policies
