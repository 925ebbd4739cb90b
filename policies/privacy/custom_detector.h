#pragma once
// A detector from the configuration (privacy.custom): an RE2 regex, or keywords matched
// case-insensitively on word boundaries (compiled to one RE2 alternation). RE2 matches in
// time linear in the text, whatever the pattern. A literal prefilter (the strings RE2's
// FilteredRE2 says a match needs, looked for with a vectorised search) skips the regex on
// texts that cannot match.
#include <memory>
#include <string>

#include "core/config/config.h"
#include "policies/privacy/detector.h"

namespace re2 {
class RE2;
class FilteredRE2;
}

namespace sb::policies {

class CustomDetector final : public Detector {
 public:
  // Throws std::invalid_argument naming the detector when its regex does not compile or it
  // has neither a regex nor keywords.
  explicit CustomDetector(const config::CustomDetectorConfig& config);
  ~CustomDetector() override;

  std::string_view name() const override { return name_; }
  void scan(std::string_view text, std::vector<Finding>& out) const override;

 private:
  bool may_match(std::string_view text) const;

  std::string name_, rule_, validated_by_;
  std::unique_ptr<re2::RE2> pattern_;
  std::unique_ptr<re2::FilteredRE2> prefilter_;
  std::vector<std::string> atoms_;  // lowercase literals, some combination of which a match contains
  bool prefilter_usable_ = true;    // false when an atom is not ASCII (case folding beyond ASCII)
};

}  // namespace sb::policies
