#pragma once
// API key -> team. Keys are held only as SHA-256 hashes (from the config); a presented key
// is hashed and compared with every known hash in constant time, so neither the match nor
// its position leaks through timing.
#include <string>
#include <string_view>

#include <httplib.h>

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

// The key a request presents: the Bearer token of Authorization, else x-api-key (what
// Anthropic clients send); empty when it presents none.
std::string presented_api_key(const httplib::Request& req);

// A stable identifier of a key that reveals nothing of it (rate limits, the ledger): the
// first 16 hex digits of its SHA-256.
std::string key_id(std::string_view api_key);

// Whether `presented` is `expected`, compared in constant time (admin token).
bool same_secret(std::string_view presented, std::string_view expected);

}  // namespace sb::gateway
