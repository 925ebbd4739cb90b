#pragma once
// IBAN: ISO 13616 — a country code with its registered IBAN length (SWIFT IBAN registry),
// two check digits and the BBAN, written compact or in groups of four separated by single
// spaces, whose ISO 7064 mod-97 checksum is 1. Triggered by digit runs right after two
// capital letters.
#include <string_view>

#include "policies/privacy/digit_run_detector.h"

namespace sb::policies {

// Registered IBAN length for an ISO 3166 alpha-2 country code, 0 if it has no IBAN.
size_t iban_length(std::string_view country);
// ISO 7064 MOD 97-10 over an IBAN's characters (no spaces, upper case): true when the
// remainder is 1.
bool iban_checksum_valid(std::string_view iban);

class IbanDetector final : public DigitRunDetector {
 public:
  std::string_view name() const override { return kIban; }
  void scan_runs(std::string_view text, std::span<const text::DigitRun> runs,
                 std::vector<Finding>& out) const override;
};

}  // namespace sb::policies
