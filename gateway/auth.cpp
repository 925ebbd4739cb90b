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

}  // namespace sb::gateway
