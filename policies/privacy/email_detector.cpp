#include "policies/privacy/email_detector.h"

#include "policies/privacy/text_scan.h"

namespace sb::policies {
namespace {

using namespace text;

constexpr size_t kMaxLocal = 64, kMaxLabel = 63, kMaxDomain = 253;

constexpr bool is_local_char(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

// Start of the local part that ends just before `at_sign`, or npos if it is not a valid one.
size_t local_part_start(std::string_view text, size_t at_sign, size_t floor) {
  size_t start = at_sign;
  while (start > floor && at_sign - start < kMaxLocal && is_local_char(text[start - 1])) --start;
  if (start > floor && is_local_char(text[start - 1])) return npos;  // longer than any local part
  while (start < at_sign && text[start] == '.') ++start;
  if (start == at_sign || text[at_sign - 1] == '.') return npos;
  if (text.substr(start, at_sign - start).find("..") != std::string_view::npos) return npos;
  return start;
}

// End of the domain that starts at `begin`, or npos if it is not a valid one.
size_t domain_end(std::string_view text, size_t begin) {
  size_t pos = begin, labels = 0, last_label = begin;
  while (true) {
    const size_t label = pos;
    while (pos < text.size() && (is_alnum(text[pos]) || text[pos] == '-')) ++pos;
    if (pos == label || pos - label > kMaxLabel || text[label] == '-' || text[pos - 1] == '-') return npos;
    ++labels;
    last_label = label;
    if (at(text, pos) == '.' && is_alnum(at(text, pos + 1))) {
      ++pos;
      continue;
    }
    break;
  }
  if (labels < 2 || pos - begin > kMaxDomain || at(text, pos) == '@') return npos;
  const std::string_view tld = text.substr(last_label, pos - last_label);
  bool alphabetic = tld.size() >= 2;
  for (char c : tld) alphabetic = alphabetic && is_alpha(c);
  if (!alphabetic && !matches_ci(tld, 0, "xn--")) return npos;
  return pos;
}

}  // namespace

void EmailDetector::scan(std::string_view text, std::vector<Finding>& out) const {
  size_t consumed = 0;  // findings never overlap: the next local part starts after the last domain
  for (size_t at_sign = find_byte(text, 0, '@'); at_sign != npos; at_sign = find_byte(text, at_sign + 1, '@')) {
    const size_t start = local_part_start(text, at_sign, consumed);
    if (start == npos) continue;
    const size_t end = domain_end(text, at_sign + 1);
    if (end == npos) continue;
    out.push_back({std::string(kEmail), start, end, "email.address", "syntax"});
    consumed = end;
  }
}

}  // namespace sb::policies
