#include "policies/privacy/cue_detectors.h"

#include <gtest/gtest.h>

#include "tests/policies/detector_test_util.h"

namespace sb::policies {
namespace {

using test::found;
using test::Values;

const DateOfBirthDetector kDobDetector;
const MedicalRecordNumberDetector kMrnDetector;

TEST(CalendarTest, KnowsRealDates) {
  EXPECT_TRUE(is_calendar_date(2000, 2, 29));
  EXPECT_FALSE(is_calendar_date(1900, 2, 29));
  EXPECT_FALSE(is_calendar_date(1990, 4, 31));
  EXPECT_FALSE(is_calendar_date(1990, 13, 1));
  EXPECT_FALSE(is_calendar_date(1850, 1, 1));
}

TEST(DateOfBirthDetectorTest, FindsDatesAfterABirthCue) {
  EXPECT_EQ(found(kDobDetector, "Patient MRN 88328247, DOB 10.05.1966, presents"), Values{"10.05.1966"});
  EXPECT_EQ(found(kDobDetector, "Born 12/02/1948, SSN 878-76-5955."), Values{"12/02/1948"});
  EXPECT_EQ(found(kDobDetector, "born 01.20.1965"), Values{"01.20.1965"});  // month first
  EXPECT_EQ(found(kDobDetector, "date of birth: 1980-01-02"), Values{"1980-01-02"});
  EXPECT_EQ(found(kDobDetector, "D.O.B. 3/4/85"), Values{"3/4/85"});
  EXPECT_EQ(found(kDobDetector, "she was born on March 5, 1980 in Lyon"), Values{"March 5, 1980"});
  EXPECT_EQ(found(kDobDetector, "birthday: 5th of Sept. 1980"), Values{"5th of Sept. 1980"});
  EXPECT_EQ(found(kDobDetector, "Birthdate 29 Feb 2000."), Values{"29 Feb 2000"});
  const auto findings = test::findings_of(kDobDetector, "DOB 10.05.1966");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0], (Finding{"DATE_OF_BIRTH", 4, 14, "dob.date_after_cue", "cue:DOB"}));
}

// The cue is looked for 64 bytes at a time: it must be found in any block and at any
// offset, the date in the same or a later block.
TEST(DateOfBirthDetectorTest, FindsTheCueAtEveryOffset) {
  for (size_t pad = 0; pad < 140; ++pad) {
    for (const std::string cue : {"DOB ", "born "}) {
      const std::string text = std::string(pad, '.') + cue + std::string(pad % 70, ' ').substr(0, 10) + "10.05.1966";
      EXPECT_EQ(found(kDobDetector, text), Values{"10.05.1966"}) << pad << " " << cue;
    }
  }
}

TEST(DateOfBirthDetectorTest, IgnoresDatesWithoutACueAndNonDates) {
  for (const char* text : {"Schedule the release for 2024-08-03 and tag it v0.12.1.", "Meeting on 12/02/1948.",
                           "DOB 02/30/1990", "DOB 13/13/1990", "DOB: unknown; visit 12/02/2019",
                           "born in the city where 12/02/1948 happened long ago", "DOB 1.2.3.4", "reborn 12/02/1948",
                           "DOB 12/02/19480"})
    EXPECT_EQ(found(kDobDetector, text), Values{}) << text;
}

TEST(MedicalRecordNumberDetectorTest, FindsNumbersAfterAnMrnCue) {
  EXPECT_EQ(found(kMrnDetector, "Patient MRN 88328247, DOB 10.05.1966"), Values{"88328247"});
  EXPECT_EQ(found(kMrnDetector, "MRN: A-1234567."), Values{"A-1234567"});
  EXPECT_EQ(found(kMrnDetector, "Medical record number 00451233"), Values{"00451233"});
  EXPECT_EQ(found(kMrnDetector, "mrn#12345"), Values{"12345"});
  const auto findings = test::findings_of(kMrnDetector, "MRN 88328247");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0], (Finding{"MEDICAL_RECORD_NUMBER", 4, 12, "mrn.number_after_cue", "cue:MRN"}));
}

TEST(MedicalRecordNumberDetectorTest, IgnoresNumbersWithoutACue) {
  for (const char* text : {"Track order 88328247", "Mr. Smith's 88328247", "MRN 1234", "MRN 1234567890123",
                           "MRN is not 2024-08-03", "the MRN field was blank, invoice 88328247"})
    EXPECT_EQ(found(kMrnDetector, text), Values{}) << text;
}

}  // namespace
}  // namespace sb::policies
