#include "policies/privacy/privacy_scanner.h"

#include <algorithm>
#include <array>
#include <map>
#include <numeric>

#include "policies/privacy/card_detector.h"
#include "policies/privacy/cue_detectors.h"
#include "policies/privacy/custom_detector.h"
#include "policies/privacy/email_detector.h"
#include "policies/privacy/iban_detector.h"
#include "policies/privacy/ip_detector.h"
#include "policies/privacy/phone_detector.h"
#include "policies/privacy/secret_detector.h"
#include "policies/privacy/ssn_detector.h"

namespace sb::policies {
namespace {

// Most specific first: validated by prefix or checksum, then by format, then by context.
constexpr auto kSpecificity = std::to_array<std::string_view>(
    {kSecret, kIban, kCreditCard, kUsSsn, kEmail, kMedicalRecordNumber, kDateOfBirth, kPhone, kIpAddress});

size_t specificity_rank(std::string_view type) {
  return static_cast<size_t>(std::find(kSpecificity.begin(), kSpecificity.end(), type) - kSpecificity.begin());
}

}  // namespace

PrivacyScanner::PrivacyScanner(const config::PrivacyConfig& config) {
  add(std::make_unique<SecretDetector>());
  add(std::make_unique<EmailDetector>());
  add(std::make_unique<IbanDetector>());
  add(std::make_unique<CardDetector>());
  add(std::make_unique<SsnDetector>());
  add(std::make_unique<PhoneDetector>());
  add(std::make_unique<IpDetector>());
  add(std::make_unique<DateOfBirthDetector>());
  add(std::make_unique<MedicalRecordNumberDetector>());
  for (const config::CustomDetectorConfig& custom : config.custom) add(std::make_unique<CustomDetector>(custom));
}

void PrivacyScanner::add(std::unique_ptr<Detector> detector) {
  if (const auto* by_digits = dynamic_cast<const DigitRunDetector*>(detector.get()))
    digit_run_detectors_.push_back(by_digits);
  else
    other_detectors_.push_back(detector.get());
  detectors_.push_back(std::move(detector));
}

std::vector<Finding> PrivacyScanner::scan(std::string_view text) const { return resolve_overlaps(scan_all(text)); }

std::vector<Finding> PrivacyScanner::scan_all(std::string_view text) const {
  std::vector<Finding> findings;
  std::vector<text::DigitRun> runs;
  text::find_digit_runs(text, runs);
  if (!runs.empty())
    for (const DigitRunDetector* detector : digit_run_detectors_) detector->scan_runs(text, runs, findings);
  for (const Detector* detector : other_detectors_) detector->scan(text, findings);
  return findings;
}

std::vector<size_t> kept_after_overlaps(const std::vector<Finding>& findings) {
  // Sort indices, not findings: a Finding carries three strings.
  std::vector<size_t> by_start(findings.size());
  std::iota(by_start.begin(), by_start.end(), size_t{0});
  std::sort(by_start.begin(), by_start.end(), [&](size_t a, size_t b) {
    return findings[a].start != findings[b].start ? findings[a].start < findings[b].start : a < b;
  });
  std::vector<bool> keep(findings.size(), true);
  bool overlapping = false;
  for (size_t i = 1; i < by_start.size() && !overlapping; ++i)
    overlapping = findings[by_start[i]].start < findings[by_start[i - 1]].end;
  if (overlapping) {  // keep the longest, then the most specific, of each overlapping group
    std::vector<size_t> by_preference = by_start;
    std::stable_sort(by_preference.begin(), by_preference.end(), [&](size_t a, size_t b) {
      const Finding &x = findings[a], &y = findings[b];
      const size_t x_len = x.end - x.start, y_len = y.end - y.start;
      if (x_len != y_len) return x_len > y_len;
      return specificity_rank(x.type) < specificity_rank(y.type);
    });
    std::map<size_t, size_t> taken;  // start -> end of the findings kept
    for (size_t index : by_preference) {
      const Finding& f = findings[index];
      const auto next = taken.lower_bound(f.start);
      const bool clashes = (next != taken.end() && next->first < f.end) ||
                           (next != taken.begin() && std::prev(next)->second > f.start);
      if (clashes)
        keep[index] = false;
      else
        taken.emplace(f.start, f.end);
    }
  }
  std::erase_if(by_start, [&keep](size_t index) { return !keep[index]; });
  return by_start;
}

std::vector<Finding> resolve_overlaps(std::vector<Finding> findings) {
  std::vector<Finding> kept;
  for (size_t index : kept_after_overlaps(findings)) kept.push_back(std::move(findings[index]));
  return kept;
}

}  // namespace sb::policies
