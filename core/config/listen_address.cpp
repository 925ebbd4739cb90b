#include "core/config/listen_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace sb::config {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_ip(int family, const std::string& text) {
  unsigned char buf[16];
  return inet_pton(family, text.c_str(), buf) == 1;
}

// RFC 1123: dot-separated labels of letters, digits and inner hyphens, 1..63 bytes each.
bool is_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = std::min(name.find('.', start), name.size());
    std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    if (!std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; })) return false;
    start = end + 1;
  }
  return true;
}

uint16_t parse_port(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::invalid_argument || end != text.data() + text.size())
    throw std::invalid_argument("port must be a number, got '" + std::string(text) + "'");
  if (ec == std::errc::result_out_of_range || value > 65535) throw std::invalid_argument("port must be between 0 and 65535, got " + std::string(text));
  return static_cast<uint16_t>(value);
}

}  // namespace

ListenAddress parse_listen_address(std::string_view text) {
  const std::string expected = "expected host:port (e.g. 127.0.0.1:8080 or [::1]:8080), got '" + std::string(text) + "'";
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      throw std::invalid_argument(expected);
    std::string host(text.substr(1, close - 1));
    if (!is_ip(AF_INET6, host)) throw std::invalid_argument("bad IPv6 address '" + host + "'");
    return {std::move(host), parse_port(text.substr(close + 2))};
  }
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) throw std::invalid_argument(expected);
  std::string host(text.substr(0, colon));
  if (host.find(':') != std::string::npos)
    throw std::invalid_argument("IPv6 addresses need brackets, e.g. [::1]:8080");
  const bool looks_numeric = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) { return is_digit(c) || c == '.'; });
  if (looks_numeric ? !is_ip(AF_INET, host) : !is_host_name(host))
    throw std::invalid_argument(std::string(looks_numeric ? "bad IPv4 address '" : "bad host name '") + host + "'");
  return {std::move(host), parse_port(text.substr(colon + 1))};
}

}  // namespace sb::config
