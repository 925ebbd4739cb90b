#include <openssl/sha.h>

#include "core/config/config.h"

namespace sb::config {

KeyHash sha256(std::string_view data) {
  KeyHash out;
  static_assert(sizeof(KeyHash) == SHA256_DIGEST_LENGTH);
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  return out;
}

}  // namespace sb::config
