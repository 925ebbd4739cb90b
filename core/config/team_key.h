#pragma once
// A team's API key as written in policies.yaml: plaintext (hashed here, never kept) or
// "sha256:" followed by the 64 hex digits of the key's SHA-256 (either case).
#include <stdexcept>
#include <string_view>

#include "core/config/config.h"

namespace sb::config {

// Throws std::invalid_argument for a malformed "sha256:" form; the message never
// contains the key.
KeyHash parse_team_key(std::string_view key);

}  // namespace sb::config
