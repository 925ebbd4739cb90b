#pragma once
// The base of the detectors triggered by digits (phone, card, IBAN, SSN, IP, date of birth,
// medical record number): they look only around digit runs, and PrivacyScanner finds those
// runs once for all of them instead of once per detector.
#include <span>
#include <vector>

#include "policies/privacy/detector.h"
#include "policies/privacy/text_scan.h"

namespace sb::policies {

class DigitRunDetector : public Detector {
 public:
  void scan(std::string_view text, std::vector<Finding>& out) const final {
    std::vector<text::DigitRun> runs;
    text::find_digit_runs(text, runs);
    scan_runs(text, runs, out);
  }
  // `runs` are all the digit runs of `text`, in order.
  virtual void scan_runs(std::string_view text, std::span<const text::DigitRun> runs,
                         std::vector<Finding>& out) const = 0;
};

}  // namespace sb::policies
