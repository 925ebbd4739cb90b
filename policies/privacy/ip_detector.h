#pragma once
// IP_ADDRESS: dotted-quad IPv4 (four octets 0-255 without leading zeros, not part of a
// longer dotted number such as a version) and IPv6 (RFC 4291 text forms: eight groups of
// 1-4 hex digits, one "::" compression, optional trailing dotted quad). Triggered by digit
// runs (v4) and ':' (v6).
#include "policies/privacy/digit_run_detector.h"

namespace sb::policies {

class IpDetector final : public DigitRunDetector {
 public:
  std::string_view name() const override { return kIpAddress; }
  void scan_runs(std::string_view text, std::span<const text::DigitRun> runs,
                 std::vector<Finding>& out) const override;
};

}  // namespace sb::policies
