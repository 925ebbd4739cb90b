#pragma once
// Helpers for the detector tests: what a detector finds in a text, as substrings or findings.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "policies/privacy/detector.h"

namespace sb::policies::test {

inline std::vector<Finding> findings_of(const Detector& detector, std::string_view text) {
  std::vector<Finding> out;
  detector.scan(text, out);
  std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.start < b.start; });
  return out;
}

// The text of each finding, in order of position.
inline std::vector<std::string> found(const Detector& detector, std::string_view text) {
  std::vector<std::string> values;
  for (const Finding& f : findings_of(detector, text)) values.emplace_back(text.substr(f.start, f.end - f.start));
  return values;
}

using Values = std::vector<std::string>;

}  // namespace sb::policies::test
