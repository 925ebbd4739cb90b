#pragma once
// Redaction for one request: each finding's text becomes a placeholder such as <EMAIL_1>.
// The same value of the same type gets the same placeholder across every message of the
// request; placeholders are numbered per type in order of first appearance.
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "policies/privacy/detector.h"

namespace sb::policies {

class Redactor {
 public:
  // `findings` are byte spans into `text` (as PrivacyScanner::scan returns them); a finding
  // that overlaps an earlier one or lies outside the text is ignored.
  std::string redact(std::string_view text, const std::vector<Finding>& findings);
  // placeholder -> original value, for the Restorer of the response.
  const std::map<std::string, std::string>& mapping() const { return mapping_; }

 private:
  const std::string& placeholder_for(const std::string& type, std::string_view value);

  std::map<std::string, std::string> mapping_;
  std::map<std::pair<std::string, std::string>, std::string> placeholders_;  // (type, value) -> placeholder
  std::map<std::string, size_t> count_per_type_;
};

}  // namespace sb::policies
