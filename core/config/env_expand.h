#pragma once
// ${NAME} and ${NAME:-default} references inside configuration strings.
// A variable that is unset or set to "" counts as not set: it takes its default when the
// reference has one; otherwise it expands to "" and is reported in Expansion::unset, so the
// caller decides whether that is an error (most fields), disables something (a provider) or
// turns a feature off (server.admin_token). NAME is [A-Za-z_][A-Za-z0-9_]*; a default runs
// to the first '}'. There is no escape: "${" always starts a reference.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/config.h"

namespace sb::config {

struct Expansion {
  std::string text;                 // every reference replaced
  std::vector<std::string> unset;   // variables that were not set and had no default; no repeats
};

// Throws std::invalid_argument for a malformed reference ("${" without "}", a bad name).
Expansion expand_env(std::string_view text, const EnvLookup& env);

}  // namespace sb::config
