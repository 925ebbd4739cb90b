#pragma once
// Unguessable ids for requests and decisions ("chatcmpl-…", "dec_…"), from OpenSSL's CSPRNG
// (thread-safe, no state of ours).
#include <string>
#include <string_view>

namespace sb::gateway {

std::string new_id(std::string_view prefix);

}  // namespace sb::gateway
