#include "core/config/team_key.h"

namespace sb::config {

namespace {

constexpr std::string_view kHashPrefix = "sha256:";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

KeyHash parse_team_key(std::string_view key) {
  if (!key.starts_with(kHashPrefix)) return sha256(key);
  const std::string_view hex = key.substr(kHashPrefix.size());
  KeyHash hash;
  bool ok = hex.size() == 2 * hash.size();
  for (size_t i = 0; ok && i < hash.size(); ++i) {
    const int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    ok = hi >= 0 && lo >= 0;
    hash[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  if (!ok) throw std::invalid_argument("a sha256: key needs exactly 64 hex digits after 'sha256:'");
  return hash;
}

}  // namespace sb::config
