#pragma once
// server.listen: "host:port" where host is an IPv4 address, a bracketed IPv6 address
// ("[::1]:8080", stored without the brackets) or a host name; port 0..65535 (0 = any free port).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sb::config {

struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};

// Throws std::invalid_argument saying what is wrong.
ListenAddress parse_listen_address(std::string_view text);

}  // namespace sb::config
