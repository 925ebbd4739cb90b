#pragma once
// The finding types the built-in privacy detectors report. policies.yaml may name these,
// and the names of its privacy.custom detectors, in privacy actions.
#include <array>
#include <string_view>

namespace sb::config {

inline constexpr std::array<std::string_view, 9> kBuiltinFindingTypes{
    "EMAIL", "PHONE",   "CREDIT_CARD",   "IBAN", "US_SSN", "IP_ADDRESS",
    "SECRET", "DATE_OF_BIRTH", "MEDICAL_RECORD_NUMBER",
};

}  // namespace sb::config
