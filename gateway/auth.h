#pragma once
// API key -> team. Keys are held only as SHA-256 hashes (from the config); a presented key
// is hashed and compared with every known hash in constant time, so neither the match nor
// its position leaks through timing.
#include <string_view>

#include "core/config/config.h"

namespace sb::gateway {

class KeyStore {
 public:
  explicit KeyStore(const config::Config& config) : config_(config) {}
  // The team owning `api_key`, or nullptr.
  const config::TeamConfig* authenticate(std::string_view api_key) const;

 private:
  const config::Config& config_;
};

// The token of an "Authorization: Bearer <token>" header value; empty when malformed.
std::string_view bearer_token(std::string_view authorization);

}  // namespace sb::gateway
