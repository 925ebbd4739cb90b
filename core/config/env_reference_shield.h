#pragma once
// Lets ${...} references stand unquoted anywhere in policies.yaml.
// YAML ends a plain scalar at '{', '}', '[', ']' and ',' inside flow collections and at
// " #" or ": " anywhere, so `keys: [${CLINIC_KEY}]` (as CONFIG.md writes it) is not valid
// YAML. Before parsing, shield() replaces those characters inside each one-line ${...}
// reference by control characters, byte for byte (line and column marks stay exact);
// unshield() puts them back in the scalars the parser returns. YAML forbids control
// characters in a document, so the caller rejects them first (first_control_character)
// and the mapping is one-to-one.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sb::config {

// Offset of the first byte YAML does not allow (C0 controls except tab, LF, CR; DEL).
std::optional<size_t> first_control_character(std::string_view text);

std::string shield_env_references(std::string_view yaml);
std::string unshield_env_references(std::string_view scalar);

}  // namespace sb::config
