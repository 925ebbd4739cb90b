#pragma once
// CREDIT_CARD: 12-19 digits, contiguous or in the printed groupings (4-4-4-4[-3], 4-6-5,
// 4-6-4) joined by one kind of separator (space or dash), that pass the Luhn checksum and
// fall in a card network's issuer range with a length that network issues. Triggered by
// digit runs.
#include <string_view>

#include "policies/privacy/digit_run_detector.h"

namespace sb::policies {

// Luhn (mod 10) checksum over a string of ASCII digits.
bool luhn_valid(std::string_view digits);
// The network whose issuer range (IIN prefix) and card length the digits fit ("visa",
// "mastercard", "amex", "discover", "diners", "jcb", "unionpay", "maestro", "mir"), or "".
std::string_view card_network(std::string_view digits);

class CardDetector final : public DigitRunDetector {
 public:
  std::string_view name() const override { return kCreditCard; }
  void scan_runs(std::string_view text, std::span<const text::DigitRun> runs,
                 std::vector<Finding>& out) const override;
};

}  // namespace sb::policies
