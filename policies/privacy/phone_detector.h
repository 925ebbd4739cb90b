#pragma once
// PHONE: international numbers ("+" + an assigned ITU-T E.164 country code, 8-15 digits in
// all, grouped by spaces, dashes, dots or parentheses), North American numbers
// ("(NXX) NXX-XXXX", "NXX-NXX-XXXX", optional leading 1, area code and exchange starting 2-9),
// and — only after a cue such as "phone"/"call"/"tel" — national numbers with a trunk 0
// ("020 7946 0958") or ten bare NANP digits. Triggered by digit runs.
#include "policies/privacy/digit_run_detector.h"

namespace sb::policies {

// Length (1-3) of the E.164 country code the digits start with, 0 if none is assigned.
size_t e164_country_code_length(std::string_view digits);

class PhoneDetector final : public DigitRunDetector {
 public:
  std::string_view name() const override { return kPhone; }
  void scan_runs(std::string_view text, std::span<const text::DigitRun> runs,
                 std::vector<Finding>& out) const override;
};

}  // namespace sb::policies
