#include "gateway/auth.h"

#include <openssl/crypto.h>

namespace sb::gateway {

const config::TeamConfig* KeyStore::authenticate(std::string_view api_key) const {
  if (api_key.empty()) return nullptr;
  const config::KeyHash presented = config::sha256(api_key);
  const config::TeamConfig* found = nullptr;
  for (const auto& team : config_.teams)
    for (const auto& hash : team.key_hashes)
      if (CRYPTO_memcmp(hash.data(), presented.data(), hash.size()) == 0 && !found) found = &team;
  return found;
}

std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i)  // the scheme is case-insensitive (RFC 9110)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i])))
      return {};
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

std::string presented_api_key(const httplib::Request& req) {
  const std::string authorization = req.get_header_value("Authorization");
  if (!authorization.empty()) return std::string(bearer_token(authorization));
  return req.get_header_value("x-api-key");
}

std::string key_id(std::string_view api_key) {
  static constexpr char kHex[] = "0123456789abcdef";
  const config::KeyHash hash = config::sha256(api_key);
  std::string id;
  for (size_t i = 0; i < 8; ++i) {
    id += kHex[hash[i] >> 4];
    id += kHex[hash[i] & 0xf];
  }
  return id;
}

bool same_secret(std::string_view presented, std::string_view expected) {
  const config::KeyHash a = config::sha256(presented);
  const config::KeyHash b = config::sha256(expected);
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sb::gateway
