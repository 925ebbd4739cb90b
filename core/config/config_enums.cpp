#include "core/config/config_enums.h"

namespace sb::config {

const char* to_string(Locality v) { return kLocalityNames[static_cast<size_t>(v)].name.data(); }
const char* to_string(ProviderKind v) { return kProviderKindNames[static_cast<size_t>(v)].name.data(); }
const char* to_string(PrivacyAction v) { return kPrivacyActionNames[static_cast<size_t>(v)].name.data(); }
const char* to_string(LedgerDriver v) { return kLedgerDriverNames[static_cast<size_t>(v)].name.data(); }

}  // namespace sb::config
