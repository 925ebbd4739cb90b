#pragma once
// EMAIL: local@domain with a dot-separated domain whose last label is alphabetic (RFC 5321
// dot-atom subset; quoted local parts are not recognised). Triggered by '@' (memchr).
#include "policies/privacy/detector.h"

namespace sb::policies {

class EmailDetector final : public Detector {
 public:
  std::string_view name() const override { return kEmail; }
  void scan(std::string_view text, std::vector<Finding>& out) const override;
};

}  // namespace sb::policies
