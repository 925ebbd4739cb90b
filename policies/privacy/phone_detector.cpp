#include "policies/privacy/phone_detector.h"

#include <algorithm>
#include <array>
#include <optional>

#include "policies/privacy/text_scan.h"

namespace sb::policies {
namespace {

using namespace text;

// ITU-T E.164 country codes in use (1 and 7 are the only one-digit codes).
constexpr auto kTwoDigitCodes = std::to_array<int>({20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46,
                                                47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63,
                                                64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98});
constexpr auto kThreeDigitCodes = std::to_array<int>({
    211, 212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234,
    235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254,
    255, 256, 257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297, 298, 299, 350,
    351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377, 378, 379, 380,
    381, 382, 383, 385, 386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505, 506, 507, 508, 509,
    590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675, 676, 677, 678, 679, 680,
    681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692, 800, 808, 850, 852, 853, 855, 856, 870, 878,
    880, 881, 882, 883, 886, 888, 960, 961, 962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973, 974,
    975, 976, 977, 979, 992, 993, 994, 995, 996, 998});

constexpr size_t kMaxPhoneGroups = 8, kMaxE164Digits = 15;

// A phone-number-looking run: optional '+', digit groups, each optionally in parentheses.
struct PhoneShape {
  size_t end = 0;
  bool plus = false;
  std::string digits;
  std::array<size_t, kMaxPhoneGroups> group_len{};
  std::array<bool, kMaxPhoneGroups> group_paren{};
  size_t groups = 0;
  bool plus_in_paren = false;  // "(+44) 20 ..."
};

constexpr bool is_group_separator(char c) { return c == ' ' || c == '-' || c == '.'; }

std::optional<PhoneShape> parse_shape(std::string_view text, size_t start) {
  PhoneShape shape;
  size_t pos = start;
  if (text[pos] == '+') {
    shape.plus = true;
    ++pos;
  }
  while (shape.groups < kMaxPhoneGroups) {
    const bool paren = at(text, pos) == '(';
    size_t begin = pos + (paren ? 1 : 0);
    if (paren && shape.groups == 0 && !shape.plus && at(text, begin) == '+') {
      shape.plus = shape.plus_in_paren = true;
      ++begin;
    }
    size_t end = begin;  // bounded, so a long digit run costs no more than a number
    while (end < text.size() && is_digit(text[end]) && shape.digits.size() + (end - begin) <= kMaxE164Digits) ++end;
    if (end == begin || shape.digits.size() + (end - begin) > kMaxE164Digits) return std::nullopt;
    if (paren && (at(text, end) != ')' || end - begin > 5)) return std::nullopt;
    shape.digits.append(text.substr(begin, end - begin));
    shape.group_len[shape.groups] = end - begin;
    shape.group_paren[shape.groups] = paren;
    ++shape.groups;
    pos = end + (paren ? 1 : 0);
    shape.end = pos;
    // Continue over one separator (or none after a closing parenthesis) into the next group.
    size_t next = pos;
    if (is_group_separator(at(text, next))) ++next;
    const char c = at(text, next);
    if (next == pos && !paren && c != '(') break;
    if (!is_digit(c) && c != '(') break;
    pos = next;
  }
  if (!ends_number_token(text, shape.end)) return std::nullopt;
  return shape;
}

bool is_nanp_number(std::string_view ten_digits) {  // NPA-NXX-XXXX: area and exchange start 2-9
  return ten_digits.size() == 10 && ten_digits[0] >= '2' && ten_digits[3] >= '2';
}

// "(NXX) NXX-XXXX", "NXX-NXX-XXXX", "1-NXX-NXX-XXXX": the group layout of a written NANP number.
bool has_nanp_layout(const PhoneShape& s) {
  const size_t first = (s.groups == 4 && s.group_len[0] == 1 && s.digits[0] == '1') ? 1 : 0;
  if (s.groups != first + 3 || s.group_len[first] != 3 || s.group_len[first + 1] != 3 || s.group_len[first + 2] != 4)
    return false;
  for (size_t g = 0; g < s.groups; ++g)
    if (s.group_paren[g] && g != first) return false;  // only the area code may be parenthesised
  return true;
}

constexpr auto kPhoneCues = std::to_array<std::string_view>({
    "phone", "tel", "telephone", "mobile", "cell", "cellphone", "call", "fax", "whatsapp", "sms",
    "text", "mob", "ph", "contact", "dial", "hotline", "reach", "landline"});

bool has_phone_cue(std::string_view text, size_t start) {
  return !cue_before(text, start, kPhoneCues, 24, 3).empty();
}

std::optional<Finding> classify(std::string_view text, size_t start, const PhoneShape& s) {
  const auto finding = [&](const char* rule, std::string validated_by) {
    return Finding{std::string(kPhone), start, s.end, rule, std::move(validated_by)};
  };
  const size_t n = s.digits.size();
  if (s.plus) {
    const size_t cc = e164_country_code_length(s.digits);
    if (cc == 0 || (s.group_paren[0] && !s.plus_in_paren) || s.group_len[0] < cc) return std::nullopt;
    const std::string code = "country:+" + s.digits.substr(0, cc);
    if (cc == 1 && s.digits[0] == '1') {
      if (n == 11 && is_nanp_number(std::string_view(s.digits).substr(1))) return finding("phone.e164", code);
      return std::nullopt;
    }
    if (n >= 8 && n - cc >= 6) return finding("phone.e164", code);
    return std::nullopt;
  }
  if (s.digits[0] == '0') {  // national number with a trunk prefix: too ambiguous without a cue
    if (n >= 9 && n <= 12 && s.digits[1] != '0' && has_phone_cue(text, start))
      return finding("phone.national", "cue:phone");
    return std::nullopt;
  }
  const std::string_view last_ten = std::string_view(s.digits).substr(n >= 10 ? n - 10 : 0);
  if (has_nanp_layout(s) && is_nanp_number(last_ten)) return finding("phone.nanp", "nanp");
  if (s.groups == 1 && n == 10 && is_nanp_number(last_ten) && has_phone_cue(text, start))
    return finding("phone.nanp", "nanp+cue:phone");
  return std::nullopt;
}

}  // namespace

size_t e164_country_code_length(std::string_view digits) {
  if (digits.empty() || digits[0] == '0') return 0;
  if (digits[0] == '1' || digits[0] == '7') return 1;
  if (digits.size() < 2) return 0;
  const int two = digit_value(digits[0]) * 10 + digit_value(digits[1]);
  if (std::find(kTwoDigitCodes.begin(), kTwoDigitCodes.end(), two) != kTwoDigitCodes.end()) return 2;
  if (digits.size() < 3) return 0;
  const int three = two * 10 + digit_value(digits[2]);
  return std::find(kThreeDigitCodes.begin(), kThreeDigitCodes.end(), three) != kThreeDigitCodes.end() ? 3 : 0;
}

void PhoneDetector::scan_runs(std::string_view text, std::span<const DigitRun> runs, std::vector<Finding>& out) const {
  for_each_run(runs, [&](size_t run, size_t run_end) -> size_t {
    size_t start = run;
    const char prev = before(text, run);
    const size_t len = run_end - run;
    // Without '+' or '(' a number starts with an NANP group ("415-", "1-800-"), is ten bare
    // digits, or starts with a trunk 0.
    if (prev != '+' && prev != '(' && len != 3 && len != 10 && !(len == 1 && text[run] == '1') && text[run] != '0')
      return run_end;
    if (prev == '+' || prev == '(') {
      start = prev == '+' && before(text, run - 1) == '(' ? run - 2 : run - 1;
      if (is_word(before(text, start))) return run_end;
    } else if (!starts_number_token(text, run)) {
      return run_end;
    }
    const std::optional<PhoneShape> shape = parse_shape(text, start);
    if (!shape) return run_end;
    std::optional<Finding> finding = classify(text, start, *shape);
    if (!finding) return run_end;
    out.push_back(std::move(*finding));
    return shape->end;
  });
}

}  // namespace sb::policies
