#pragma once
// US_SSN: AAA-GG-SSSS outside the ranges the SSA never issues (area 000, 666 and 900-999,
// group 00, serial 0000, and the voided 078-05-1120 / 219-09-9999). The same digits spaced
// ("AAA GG SSSS") or bare ("AAAGGSSSS") count only after a cue such as "SSN". Triggered by
// digit runs.
#include <string_view>

#include "policies/privacy/digit_run_detector.h"

namespace sb::policies {

// Whether nine digits (area, group, serial) are an SSN the SSA could have issued.
bool ssn_issuable(std::string_view nine_digits);

class SsnDetector final : public DigitRunDetector {
 public:
  std::string_view name() const override { return kUsSsn; }
  void scan_runs(std::string_view text, std::span<const text::DigitRun> runs,
                 std::vector<Finding>& out) const override;
};

}  // namespace sb::policies
