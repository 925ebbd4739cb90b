#include "policies/privacy/privacy_scanner.h"

#include <algorithm>
#include <array>
#include <map>

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
  detectors_.push_back(std::make_unique<SecretDetector>());
  detectors_.push_back(std::make_unique<EmailDetector>());
  detectors_.push_back(std::make_unique<IbanDetector>());
  detectors_.push_back(std::make_unique<CardDetector>());
  detectors_.push_back(std::make_unique<SsnDetector>());
  detectors_.push_back(std::make_unique<PhoneDetector>());
  detectors_.push_back(std::make_unique<IpDetector>());
  detectors_.push_back(std::make_unique<DateOfBirthDetector>());
  detectors_.push_back(std::make_unique<MedicalRecordNumberDetector>());
  for (const config::CustomDetectorConfig& custom : config.custom)
    detectors_.push_back(std::make_unique<CustomDetector>(custom));
}

std::vector<Finding> PrivacyScanner::scan(std::string_view text) const {
  std::vector<Finding> findings;
  for (const auto& detector : detectors_) detector->scan(text, findings);
  return resolve_overlaps(std::move(findings));
}

std::vector<Finding> resolve_overlaps(std::vector<Finding> findings) {
  if (findings.size() < 2) return findings;
  std::vector<size_t> order(findings.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Finding &x = findings[a], &y = findings[b];
    const size_t x_len = x.end - x.start, y_len = y.end - y.start;
    if (x_len != y_len) return x_len > y_len;
    const size_t x_rank = specificity_rank(x.type), y_rank = specificity_rank(y.type);
    if (x_rank != y_rank) return x_rank < y_rank;
    return x.start < y.start;
  });
  std::map<size_t, size_t> taken;  // start -> end of the findings kept
  std::vector<Finding> kept;
  for (size_t index : order) {
    Finding& f = findings[index];
    const auto next = taken.lower_bound(f.start);
    if (next != taken.end() && next->first < f.end) continue;
    if (next != taken.begin() && std::prev(next)->second > f.start) continue;
    taken.emplace(f.start, f.end);
    kept.push_back(std::move(f));
  }
  std::sort(kept.begin(), kept.end(), [](const Finding& a, const Finding& b) { return a.start < b.start; });
  return kept;
}

}  // namespace sb::policies
