#include "policies/privacy/iban_detector.h"

#include <gtest/gtest.h>

#include "tests/policies/detector_test_util.h"

namespace sb::policies {
namespace {

using test::found;
using test::Values;

const IbanDetector kIbanDetector;

TEST(IbanDetectorTest, KnowsCountryLengths) {
  EXPECT_EQ(iban_length("DE"), 22u);
  EXPECT_EQ(iban_length("NO"), 15u);
  EXPECT_EQ(iban_length("LC"), 32u);
  EXPECT_EQ(iban_length("RU"), 33u);
  EXPECT_EQ(iban_length("US"), 0u);
  EXPECT_EQ(iban_length("de"), 0u);
}

TEST(IbanDetectorTest, ChecksMod97) {
  EXPECT_TRUE(iban_checksum_valid("DE89370400440532013000"));
  EXPECT_FALSE(iban_checksum_valid("DE88370400440532013000"));
  EXPECT_TRUE(iban_checksum_valid("GB29NWBK60161331926819"));
  EXPECT_FALSE(iban_checksum_valid("GB29NWBK60161331926818"));
}

TEST(IbanDetectorTest, FindsCompactAndGroupedIbans) {
  for (const char* iban : {"DE89370400440532013000", "DE89 3704 0044 0532 0130 00", "GB29NWBK60161331926819",
                           "GB29 NWBK 6016 1331 9268 19", "FR14 2004 1010 0505 0001 3M02 606", "NO9386011117947",
                           "MT84MALT011000012345MTLCAST001S", "CH93 0076 2011 6238 5295 7", "BR9700360305000010009795493P1",
                           "PL61 1090 1014 0000 0712 1981 2874", "SA0380000000608010167519",
                           "LC55HEMM000100010012001200023015"})
    EXPECT_EQ(found(kIbanDetector, std::string("IBAN: ") + iban + ". Thanks"), Values{iban}) << iban;
}

TEST(IbanDetectorTest, ReportsTheCountry) {
  const auto findings = test::findings_of(kIbanDetector, "to NL91ABNA0417164300 today");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0], (Finding{"IBAN", 3, 21, "iban.checksum", "mod97:NL"}));
}

TEST(IbanDetectorTest, IgnoresHardNegatives) {
  for (const char* text : {"fake IBAN BE16 1218 7033 4589", "DE88370400440532013000", "DE8937040044053201300",
                           "DE893704004405320130001", "XDE89370400440532013000", "US89370400440532013000",
                           "de89370400440532013000", "DE89 3704 0044 053 20130 00", "DE00370400440532013000"})
    EXPECT_EQ(found(kIbanDetector, text), Values{}) << text;
}

}  // namespace
}  // namespace sb::policies
