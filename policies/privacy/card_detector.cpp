#include "policies/privacy/card_detector.h"

#include <array>
#include <string>

#include "policies/privacy/text_scan.h"

namespace sb::policies {
namespace {

using namespace text;

constexpr size_t kMinCardDigits = 12, kMaxCardDigits = 19, kMaxCardGroups = 5;

// One issuer range: card numbers whose first `prefix_digits` digits lie in [low, high].
struct IssuerRange {
  std::string_view network;
  int prefix_digits;
  int low, high;
  size_t min_len, max_len;
  bool only_13_16_19 = false;  // Visa issues these lengths only
};

// Checked in order: the narrower ranges come before the wider ones they sit in.
constexpr std::array<IssuerRange, 21> kIssuerRanges = {{
    {"visa", 1, 4, 4, 13, 19, true},
    {"amex", 2, 34, 34, 15, 15},
    {"amex", 2, 37, 37, 15, 15},
    {"mastercard", 2, 51, 55, 16, 16},
    {"mastercard", 4, 2221, 2720, 16, 16},
    {"mir", 4, 2200, 2204, 16, 19},
    {"discover", 4, 6011, 6011, 16, 19},
    {"discover", 6, 622126, 622925, 16, 19},
    {"discover", 3, 644, 649, 16, 19},
    {"discover", 2, 65, 65, 16, 19},
    {"unionpay", 2, 62, 62, 16, 19},
    {"jcb", 4, 3528, 3589, 16, 19},
    {"diners", 4, 3095, 3095, 14, 19},
    {"diners", 3, 300, 305, 14, 19},
    {"diners", 2, 36, 36, 14, 19},
    {"diners", 2, 38, 39, 16, 19},
    {"maestro", 4, 5018, 5018, 12, 19},
    {"maestro", 4, 5020, 5020, 12, 19},
    {"maestro", 4, 5038, 5038, 12, 19},
    {"maestro", 4, 5893, 5893, 12, 19},
    {"maestro", 4, 6304, 6304, 12, 19},
}};
constexpr std::array<int, 4> kMaestroUkPrefixes = {6759, 6761, 6762, 6763};

constexpr std::array<int, 7> kPowersOfTen = {1, 10, 100, 1000, 10000, 100000, 1000000};
constexpr int kIinDigits = 6;  // no issuer range is longer

int leading_number(std::string_view digits, int count) {
  int value = 0;
  for (int i = 0; i < count; ++i) value = value * 10 + digit_value(digits[static_cast<size_t>(i)]);
  return value;
}

// The digit groups of a card-number-looking run, e.g. "4111 1111 1111 1111".
struct Groups {
  std::array<size_t, kMaxCardGroups> len{};
  std::array<size_t, kMaxCardGroups> end{};     // byte offset after each group
  std::array<size_t, kMaxCardGroups> digits{};  // digits in this group and the ones before it
  size_t count = 0;
};

Groups read_groups(std::string_view text, size_t start) {
  Groups g;
  size_t pos = start, total = 0;
  char separator = '\0';
  while (g.count < kMaxCardGroups) {
    size_t end = pos;
    while (end < text.size() && is_digit(text[end]) && total + (end - pos) <= kMaxCardDigits) ++end;
    if (end == pos || total + (end - pos) > kMaxCardDigits) break;
    total += end - pos;
    g.len[g.count] = end - pos;
    g.end[g.count] = end;
    g.digits[g.count] = total;
    ++g.count;
    const char c = at(text, end);
    if ((c != ' ' && c != '-') || (separator && c != separator) || !is_digit(at(text, end + 1))) break;
    separator = c;
    pos = end + 1;
  }
  return g;
}

bool is_printed_layout(const Groups& g, size_t count) {
  if (count == 1) return true;
  if (count == 3 && g.len[0] == 4 && g.len[1] == 6 && (g.len[2] == 5 || g.len[2] == 4)) return true;  // amex, diners
  if (count < 3) return false;
  for (size_t i = 0; i + 1 < count; ++i)
    if (g.len[i] != 4) return false;
  return g.len[count - 1] >= 1 && g.len[count - 1] <= 4;
}

// The digits of text[start, end) (at most kMaxCardDigits: the groups were read that way).
struct CardDigits {
  std::array<char, kMaxCardDigits> buffer{};
  size_t size = 0;
};

CardDigits digits_of(std::string_view text, size_t start, size_t end) {
  CardDigits digits;
  for (size_t i = start; i < end && digits.size < kMaxCardDigits; ++i)
    if (is_digit(text[i])) digits.buffer[digits.size++] = text[i];
  return digits;
}

}  // namespace

bool luhn_valid(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digit_value(digits[i]);
    if (twice && (d *= 2) > 9) d -= 9;
    sum += d;
    twice = !twice;
  }
  return !digits.empty() && sum % 10 == 0;
}

std::string_view card_network(std::string_view digits) {
  const size_t n = digits.size();
  if (n < kMinCardDigits || n > kMaxCardDigits) return "";
  const int iin = leading_number(digits, kIinDigits);
  for (const IssuerRange& r : kIssuerRanges) {
    if (n < r.min_len || n > r.max_len || (r.only_13_16_19 && n != 13 && n != 16 && n != 19)) continue;
    const int prefix = iin / kPowersOfTen[static_cast<size_t>(kIinDigits - r.prefix_digits)];
    if (prefix >= r.low && prefix <= r.high) return r.network;
  }
  for (int prefix : kMaestroUkPrefixes)
    if (iin / 100 == prefix) return "maestro";
  return "";
}

void CardDetector::scan_runs(std::string_view text, std::span<const DigitRun> runs, std::vector<Finding>& out) const {
  for_each_run(runs, [&](size_t run, size_t run_end) -> size_t {
    // A card is written in one piece or starts with a group of four.
    const size_t len = run_end - run;
    const char next = at(text, run_end);
    const bool first_of_groups = len == 4 && (next == ' ' || next == '-') && is_digit(at(text, run_end + 1));
    if ((!first_of_groups && len < kMinCardDigits) || !starts_number_token(text, run)) return run_end;
    const Groups groups = read_groups(text, run);
    if (groups.count == 0) return run_end;
    const CardDigits all_digits = digits_of(text, run, groups.end[groups.count - 1]);
    // The whole run first; then shorter prefixes, for a number followed by unrelated digits.
    for (size_t count = groups.count; count >= 1 && groups.digits[count - 1] >= kMinCardDigits; --count) {
      const size_t end = groups.end[count - 1];
      if (!is_printed_layout(groups, count) || !ends_number_token(text, end)) continue;
      const std::string_view digits(all_digits.buffer.data(), groups.digits[count - 1]);
      const std::string_view network = card_network(digits);
      if (network.empty() || !luhn_valid(digits)) continue;
      out.push_back({std::string(kCreditCard), run, end, "card." + std::string(network),
                     "luhn+issuer:" + std::string(network)});
      return end;
    }
    return run_end;
  });
}

}  // namespace sb::policies
