#pragma once
// SECRET: credentials. Provider keys by prefix (OpenAI, Anthropic, AWS, GitHub, Slack,
// Stripe, Google, ...), JWTs whose header decodes to JSON, PEM private-key blocks, and
// high-entropy tokens that follow a key-like word on the same line ("api_key=...",
// "Bearer ..."), and strong values assigned to a password-like key ("password=S3cr3t!x").
// Triggered by the bytes such tokens contain (digits, '-', '_', 'A', 'J', '=', ':'), so prose
// without them costs one vectorised pass.
#include "policies/privacy/detector.h"

namespace sb::policies {

class SecretDetector final : public Detector {
 public:
  std::string_view name() const override { return kSecret; }
  void scan(std::string_view text, std::vector<Finding>& out) const override;
};

}  // namespace sb::policies
