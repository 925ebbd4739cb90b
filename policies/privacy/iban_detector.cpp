#include "policies/privacy/iban_detector.h"

#include <algorithm>
#include <array>
#include <string>

#include "policies/privacy/text_scan.h"

namespace sb::policies {
namespace {

using namespace text;

struct CountryLength {
  std::string_view country;
  size_t length;
};

// SWIFT IBAN registry: country -> IBAN length. Sorted by country for binary search.
constexpr auto kIbanLengths = std::to_array<CountryLength>({
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27},
    {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
    {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28},
    {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
    {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
});

constexpr bool is_iban_char(char c) { return is_digit(c) || is_upper(c); }

// The IBAN characters from `start` when written compact ("DE89370400440532013000") or in
// groups of four ("DE89 3704 0044 0532 0130 00"); sets `end`. Empty if neither fits `length`.
std::string read_iban(std::string_view text, size_t start, size_t length, size_t& end) {
  std::string compact;
  size_t pos = start;
  while (pos < text.size() && compact.size() < length && is_iban_char(text[pos])) compact.push_back(text[pos++]);
  if (compact.size() == length && !is_alnum(at(text, pos))) {
    end = pos;
    return compact;
  }
  if (compact.size() != 4) return {};
  while (compact.size() < length && at(text, pos) == ' ') {
    const size_t group_start = ++pos;
    while (pos < text.size() && pos - group_start < 4 && compact.size() < length && is_iban_char(text[pos]))
      compact.push_back(text[pos++]);
    const size_t group = pos - group_start;
    if (group == 0 || (group < 4 && compact.size() < length)) return {};
  }
  if (compact.size() != length || is_alnum(at(text, pos))) return {};
  end = pos;
  return compact;
}

}  // namespace

size_t iban_length(std::string_view country) {
  const auto it = std::lower_bound(kIbanLengths.begin(), kIbanLengths.end(), country,
                                   [](const CountryLength& e, std::string_view c) { return e.country < c; });
  return it != kIbanLengths.end() && it->country == country ? it->length : 0;
}

bool iban_checksum_valid(std::string_view iban) {
  if (iban.size() < 5 || !is_digit(iban[2]) || !is_digit(iban[3])) return false;
  const int check_digits = digit_value(iban[2]) * 10 + digit_value(iban[3]);
  if (check_digits < 2 || check_digits > 98) return false;  // 00, 01 and 99 are never issued
  int remainder = 0;
  const auto feed = [&](char c) {
    if (is_digit(c)) {
      remainder = (remainder * 10 + digit_value(c)) % 97;
    } else {  // A=10 ... Z=35: two decimal digits
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    }
  };
  for (char c : iban.substr(4)) feed(c);
  for (char c : iban.substr(0, 4)) feed(c);
  return remainder == 1;
}

void IbanDetector::scan_runs(std::string_view text, std::span<const DigitRun> runs, std::vector<Finding>& out) const {
  for_each_run(runs, [&](size_t run, size_t run_end) -> size_t {
    if (run < 2 || run_end - run < 2 || !is_upper(text[run - 2]) || !is_upper(text[run - 1])) return run_end;
    const size_t start = run - 2;
    if (is_alnum(before(text, start))) return run_end;
    const std::string_view country = text.substr(start, 2);
    const size_t length = iban_length(country);
    if (length == 0) return run_end;
    size_t end = 0;
    const std::string iban = read_iban(text, start, length, end);
    if (iban.empty() || !iban_checksum_valid(iban)) return run_end;
    out.push_back({std::string(kIban), start, end, "iban.checksum", "mod97:" + std::string(country)});
    return end;
  });
}

}  // namespace sb::policies
