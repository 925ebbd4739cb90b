#pragma once
// Findings that are only personal data in context: a date is a DATE_OF_BIRTH, and a number
// a MEDICAL_RECORD_NUMBER, only when a cue word precedes it ("DOB", "born", "date of birth";
// "MRN", "medical record number"). Triggered by digit runs; the cue is looked up backwards.
#include <string_view>

#include "policies/privacy/digit_run_detector.h"

namespace sb::policies {

// Whether day/month/year name a real calendar date (leap years included), years 1900-2099.
bool is_calendar_date(int year, int month, int day);

// DATE_OF_BIRTH: a calendar date — MM/DD/YYYY or DD/MM/YYYY with '/', '.' or '-' (two-digit
// years too), YYYY-MM-DD, "March 5, 1980", "5 March 1980" — right after a birth cue.
class DateOfBirthDetector final : public DigitRunDetector {
 public:
  std::string_view name() const override { return kDateOfBirth; }
  void scan_runs(std::string_view text, std::span<const text::DigitRun> runs,
                 std::vector<Finding>& out) const override;
};

// MEDICAL_RECORD_NUMBER: 5-12 digits, optionally after a 1-3 letter prefix ("A-1234567"),
// right after an MRN cue.
class MedicalRecordNumberDetector final : public DigitRunDetector {
 public:
  std::string_view name() const override { return kMedicalRecordNumber; }
  void scan_runs(std::string_view text, std::span<const text::DigitRun> runs,
                 std::vector<Finding>& out) const override;
};

}  // namespace sb::policies
