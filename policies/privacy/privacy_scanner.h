#pragma once
// The privacy scan of one text: every built-in detector plus the configured custom ones,
// with overlapping findings resolved. Immutable after construction; scan() is thread-safe.
#include <memory>
#include <vector>

#include "core/config/config.h"
#include "policies/privacy/detector.h"
#include "policies/privacy/digit_run_detector.h"
#include "policies/privacy/text_scan.h"  // codepoint_offset

namespace sb::policies {

class PrivacyScanner {
 public:
  // Throws std::invalid_argument naming the custom detector on a bad regex.
  explicit PrivacyScanner(const config::PrivacyConfig& config);

  // Findings sorted by start. Where findings overlap, the longer one is kept; of equally long
  // ones, the more specific type (checksummed or prefixed before context-dependent).
  std::vector<Finding> scan(std::string_view text) const;
  // Every detector's findings, overlaps kept (in no particular order): what a policy needs
  // to see a short strict finding inside a longer lenient one.
  std::vector<Finding> scan_all(std::string_view text) const;

 private:
  void add(std::unique_ptr<Detector> detector);

  std::vector<std::unique_ptr<Detector>> detectors_;
  // The same detectors split by how they run: those triggered by digits share one search
  // for digit runs.
  std::vector<const DigitRunDetector*> digit_run_detectors_;
  std::vector<const Detector*> other_detectors_;
};

// Keeps a set of non-overlapping findings as scan() describes; sorted by start.
std::vector<Finding> resolve_overlaps(std::vector<Finding> findings);
// The same choice as the indices of the findings kept, in order of start.
std::vector<size_t> kept_after_overlaps(const std::vector<Finding>& findings);

}  // namespace sb::policies
