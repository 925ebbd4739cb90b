#include "policies/privacy/ip_detector.h"

#include <array>
#include <iterator>
#include <string>

#include "policies/privacy/text_scan.h"

namespace sb::policies {
namespace {

using namespace text;

constexpr auto kVersionCues = std::to_array<std::string_view>({"version", "ver", "v", "release", "build"});

// End of the dotted quad starting at `pos` (octets only; no boundary checks), or npos.
size_t parse_ipv4(std::string_view text, size_t pos) {
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (at(text, pos) != '.') return npos;
      ++pos;
    }
    const size_t begin = pos;
    int value = 0;
    while (is_digit(at(text, pos)) && pos - begin < 3) value = value * 10 + digit_value(text[pos++]);
    const size_t len = pos - begin;
    if (len == 0 || is_digit(at(text, pos)) || value > 255 || (len > 1 && text[begin] == '0')) return npos;
  }
  return pos;
}

// End of the hex group (1-4 digits) at `pos`, or npos when there is none or it is too long.
size_t hex_group_end(std::string_view text, size_t pos) {
  size_t end = pos;
  while (is_hex(at(text, end)) && end - pos < 4) ++end;
  return end == pos || is_hex(at(text, end)) ? npos : end;
}

// End of the IPv6 address starting at `start`, or npos.
size_t parse_ipv6(std::string_view text, size_t start) {
  size_t pos = start, groups = 0;
  bool compressed = false;
  if (at(text, pos) == ':') {
    if (at(text, pos + 1) != ':') return npos;
    compressed = true;
    pos += 2;
  }
  while (groups < 8) {
    const size_t group_end = hex_group_end(text, pos);
    if (group_end == npos) {
      if (compressed && pos >= 2 && text[pos - 1] == ':' && text[pos - 2] == ':') break;  // ends in "::"
      return npos;
    }
    if (at(text, group_end) == '.' && is_digit(at(text, group_end + 1)) && groups <= 6) {  // embedded IPv4: two groups
      const size_t v4_end = parse_ipv4(text, pos);
      if (v4_end == npos) return npos;
      groups += 2;
      pos = v4_end;
      break;
    }
    ++groups;
    pos = group_end;
    if (at(text, pos) != ':') break;
    if (at(text, pos + 1) == ':') {
      if (compressed) return npos;
      compressed = true;
      pos += 2;
    } else {
      ++pos;
    }
  }
  if (compressed ? groups > 7 : groups != 8) return npos;
  return pos;
}

bool has_decimal_digit(std::string_view s) {
  for (char c : s)
    if (is_digit(c)) return true;
  return false;
}

void scan_ipv6(std::string_view text, std::vector<Finding>& out) {
  size_t consumed = 0;
  for (size_t colon = find_byte(text, 0, ':'); colon != npos; colon = find_byte(text, colon + 1, ':')) {
    if (colon < consumed) continue;
    size_t start = colon;
    while (start > consumed && colon - start < 4 && is_hex(text[start - 1])) --start;
    const char prev = before(text, start);
    if (is_alnum(prev) || prev == ':' || prev == '.' || prev == '_') continue;
    const size_t end = parse_ipv6(text, start);
    if (end == npos || is_word(at(text, end)) || at(text, end) == ':') continue;
    const std::string_view address = text.substr(start, end - start);
    if (!has_decimal_digit(address)) continue;  // "dead::beef", "add::face": words, not addresses
    out.push_back({std::string(kIpAddress), start, end, "ip.v6", "rfc4291"});
    consumed = end;
  }
}

// Dotted quads, except those inside the IPv6 addresses already found (`v6`, in order).
void scan_ipv4(std::string_view text, std::span<const DigitRun> runs, const std::vector<Finding>& v6,
               std::vector<Finding>& out) {
  size_t next_v6 = 0;
  for_each_run(runs, [&](size_t run, size_t run_end) -> size_t {
    while (next_v6 < v6.size() && v6[next_v6].end <= run) ++next_v6;
    if (next_v6 < v6.size() && v6[next_v6].start <= run) return v6[next_v6].end;
    if (run_end - run > 3 || at(text, run_end) != '.' || !starts_number_token(text, run)) return run_end;
    const size_t end = parse_ipv4(text, run);
    if (end == npos) return run_end;
    // A CIDR suffix ("10.0.0.0/8") or port ends the address; another ".7" makes it a version.
    const bool cidr = at(text, end) == '/' && is_digit(at(text, end + 1));
    if (!cidr && !ends_number_token(text, end)) return run_end;
    if (!cue_before(text, run, kVersionCues, 12, 0).empty()) return end;  // "version 2.10.0.1"
    out.push_back({std::string(kIpAddress), run, end, "ip.v4", "octets"});
    return end;
  });
}

}  // namespace

void IpDetector::scan_runs(std::string_view text, std::span<const DigitRun> runs, std::vector<Finding>& out) const {
  std::vector<Finding> v6;
  scan_ipv6(text, v6);
  scan_ipv4(text, runs, v6, out);
  out.insert(out.end(), std::make_move_iterator(v6.begin()), std::make_move_iterator(v6.end()));
}

}  // namespace sb::policies
