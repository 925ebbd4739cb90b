#pragma once
// The privacy detectors' common vocabulary: what a detector reports and the one interface
// every detector implements (one per finding type family; custom ones come from the config).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sb::policies {

// Built-in finding types (custom detectors report their configured name).
inline constexpr std::string_view kEmail = "EMAIL";
inline constexpr std::string_view kPhone = "PHONE";
inline constexpr std::string_view kCreditCard = "CREDIT_CARD";
inline constexpr std::string_view kIban = "IBAN";
inline constexpr std::string_view kUsSsn = "US_SSN";
inline constexpr std::string_view kIpAddress = "IP_ADDRESS";
inline constexpr std::string_view kSecret = "SECRET";
inline constexpr std::string_view kDateOfBirth = "DATE_OF_BIRTH";
inline constexpr std::string_view kMedicalRecordNumber = "MEDICAL_RECORD_NUMBER";

struct Finding {
  std::string type;          // EMAIL, PHONE, ..., or a custom detector's name
  size_t start = 0, end = 0; // byte offsets [start, end) into the scanned UTF-8 text
  std::string rule;          // the rule that fired, e.g. "secret.github_pat", "custom.PROJECT_CODENAME"
  std::string validated_by;  // e.g. "luhn+issuer:visa", "mod97:DE", "cue:DOB", "json-header", "" if none

  bool operator==(const Finding&) const = default;
};

// A detector appends what it finds in `text` to `out`, in any order; findings of one detector
// may overlap. Implementations are immutable after construction, so scan() is thread-safe, and
// run in time linear in the text (hand-written scanners behind a cheap prefilter, or RE2).
class Detector {
 public:
  virtual ~Detector() = default;
  virtual std::string_view name() const = 0;
  virtual void scan(std::string_view text, std::vector<Finding>& out) const = 0;
};

}  // namespace sb::policies
