#include "policies/privacy/cue_detectors.h"

#include <array>
#include <bit>
#include <optional>
#include <string>

#include "policies/privacy/text_scan.h"
#include "policies/text/block64.h"

namespace sb::policies {
namespace {

using namespace text;

constexpr auto kBirthCues =
    std::to_array<std::string_view>({"dob", "d.o.b", "born", "birth", "birthdate", "birthday", "birth date"});
constexpr auto kMedicalRecordCues = std::to_array<std::string_view>(
    {"mrn", "mrn#", "medical record", "med rec", "medical rec", "patient id", "patient number", "chart number",
     "hospital number"});
constexpr size_t kCueGap = 24;

constexpr auto kMonthNames = std::to_array<std::string_view>(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"});

constexpr size_t kLongestMonth = 9;  // "september"

struct DateSpan {
  size_t start = 0, end = 0;
};

// Reads up to `max_digits` digits at `pos` (at least one); returns their value and advances.
std::optional<int> read_number(std::string_view text, size_t& pos, size_t min_digits, size_t max_digits) {
  const size_t begin = pos;
  int value = 0;
  while (is_digit(at(text, pos)) && pos - begin < max_digits) value = value * 10 + digit_value(text[pos++]);
  if (pos - begin < min_digits || is_digit(at(text, pos))) return std::nullopt;
  return value;
}

int full_year(int year, size_t digits) { return digits == 2 ? (year < 30 ? 2000 + year : 1900 + year) : year; }

// 1-12 for a month name or its three-letter abbreviation ("Sep", "Sept") at text[begin, end).
int month_number(std::string_view text, size_t begin, size_t end) {
  const size_t len = end - begin;
  for (size_t m = 0; m < kMonthNames.size(); ++m) {
    const std::string_view name = kMonthNames[m];
    if ((len == name.size() || len == 3 || (m == 8 && len == 4)) && len <= name.size() &&
        matches_ci(text, begin, name.substr(0, len)))
      return static_cast<int>(m) + 1;
  }
  return 0;
}

// "12/02/1948", "10.05.1966", "03-14-84" (either month or day first) and "1980-01-02".
std::optional<DateSpan> numeric_date(std::string_view text, size_t run, size_t run_end) {
  size_t pos = run;
  if (run_end - run == 4) {  // year first
    const std::optional<int> year = read_number(text, pos, 4, 4);
    const char sep = at(text, pos);
    if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
    ++pos;
    const std::optional<int> month = read_number(text, pos, 1, 2);
    if (!month || at(text, pos) != sep) return std::nullopt;
    ++pos;
    const std::optional<int> day = read_number(text, pos, 1, 2);
    if (!year || !day || !is_calendar_date(*year, *month, *day)) return std::nullopt;
    return DateSpan{run, pos};
  }
  const std::optional<int> first = read_number(text, pos, 1, 2);
  const char sep = at(text, pos);
  if (!first || (sep != '-' && sep != '/' && sep != '.')) return std::nullopt;
  ++pos;
  const std::optional<int> second = read_number(text, pos, 1, 2);
  if (!second || at(text, pos) != sep) return std::nullopt;
  const size_t year_start = ++pos;
  const std::optional<int> year_digits = read_number(text, pos, 2, 4);
  if (!year_digits || pos - year_start == 3) return std::nullopt;
  const int year = full_year(*year_digits, pos - year_start);
  if (!is_calendar_date(year, *first, *second) && !is_calendar_date(year, *second, *first)) return std::nullopt;
  return DateSpan{run, pos};
}

size_t skip_ordinal_suffix(std::string_view text, size_t pos) {
  for (std::string_view suffix : {"st", "nd", "rd", "th"})
    if (matches_ci(text, pos, suffix) && !is_alpha(at(text, pos + 2))) return pos + 2;
  return pos;
}

// ",? YYYY" after a day or month name; returns the end of the year.
std::optional<size_t> comma_year(std::string_view text, size_t pos, int& year) {
  if (at(text, pos) == ',') ++pos;
  if (at(text, pos) != ' ') return std::nullopt;
  ++pos;
  const std::optional<int> y = read_number(text, pos, 4, 4);
  if (!y) return std::nullopt;
  year = *y;
  return pos;
}

// "March 5, 1980" / "Mar. 5th 1980": the digit run is the day, the month name before it.
std::optional<DateSpan> month_first_date(std::string_view text, size_t run) {
  size_t name_end = run;
  if (before(text, name_end) != ' ') return std::nullopt;
  --name_end;
  if (before(text, name_end) == '.') --name_end;
  size_t name_start = name_end;
  while (name_start > 0 && name_end - name_start <= kLongestMonth && is_alpha(text[name_start - 1])) --name_start;
  if (is_alpha(before(text, name_start))) return std::nullopt;
  const int month = month_number(text, name_start, name_end);
  if (month == 0 || name_start == name_end) return std::nullopt;
  size_t pos = run;
  const std::optional<int> day = read_number(text, pos, 1, 2);
  if (!day) return std::nullopt;
  int year = 0;
  const std::optional<size_t> end = comma_year(text, skip_ordinal_suffix(text, pos), year);
  if (!end || !is_calendar_date(year, month, *day)) return std::nullopt;
  return DateSpan{name_start, *end};
}

// "5 March 1980" / "5th of March, 1980": the digit run is the day, the month name after it.
std::optional<DateSpan> day_first_date(std::string_view text, size_t run) {
  size_t pos = run;
  const std::optional<int> day = read_number(text, pos, 1, 2);
  if (!day) return std::nullopt;
  pos = skip_ordinal_suffix(text, pos);
  if (at(text, pos) != ' ') return std::nullopt;
  ++pos;
  if (matches_ci(text, pos, "of ")) pos += 3;
  const size_t name_start = pos;
  while (is_alpha(at(text, pos)) && pos - name_start <= kLongestMonth) ++pos;
  const int month = month_number(text, name_start, pos);
  if (month == 0) return std::nullopt;
  if (at(text, pos) == '.') ++pos;
  int year = 0;
  const std::optional<size_t> end = comma_year(text, pos, year);
  if (!end || !is_calendar_date(year, month, *day)) return std::nullopt;
  return DateSpan{run, *end};
}

std::optional<DateSpan> date_at(std::string_view text, size_t run, size_t run_end) {
  const size_t len = run_end - run;  // a day, a month or a year comes first
  if ((len != 1 && len != 2 && len != 4) || !starts_number_token(text, run)) return std::nullopt;
  std::optional<DateSpan> date = numeric_date(text, run, run_end);
  if (!date) date = month_first_date(text, run);
  if (!date) date = day_first_date(text, run);
  if (date && !ends_number_token(text, date->end)) return std::nullopt;
  return date;
}

}  // namespace

bool is_calendar_date(int year, int month, int day) {
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  if (month == 2 && day == 29) return leap;
  return day <= kDays[static_cast<size_t>(month - 1)];
}

namespace {

// Whether a birth cue occurs anywhere: every cue has a 'b' at a known offset ("dob",
// "d.o.b", "born", "birth..."), so only the few b's are looked at, found 64 bytes at a
// time. Without one no date can be a date of birth, and the date parsing around every
// number is skipped.
bool has_birth_cue(std::string_view text) {
  const BlockedText blocks(text);
  for (size_t block = 0; block < blocks.blocks(); ++block) {
    const Block64 bytes = blocks.block(block);
    for (uint64_t bs = bytes.equal_any<'b', 'B'>() & blocks.valid(block); bs != 0; bs &= bs - 1) {
      const size_t b = block * Block64::kBytes + static_cast<size_t>(std::countr_zero(bs));
      // The cues' b is followed by 'o' or 'i' ("born", "birth...") or ends "dob" / "d.o.b":
      // the other b's of prose ("be", "by", "number") are passed over without a comparison.
      const char after = to_lower(at(text, b + 1)), before_b = to_lower(before(text, b));
      if (after != 'o' && after != 'i' && before_b != 'o' && before_b != '.') continue;
      for (std::string_view cue : kBirthCues) {
        const size_t offset = cue.find('b');
        if (b >= offset && matches_ci(text, b - offset, cue)) return true;
      }
    }
  }
  return false;
}

}  // namespace

void DateOfBirthDetector::scan_runs(std::string_view text, std::span<const DigitRun> runs, std::vector<Finding>& out) const {
  if (!has_birth_cue(text)) return;
  for_each_run(runs, [&](size_t run, size_t run_end) -> size_t {
    const std::optional<DateSpan> date = date_at(text, run, run_end);
    if (!date) return run_end;
    const std::string_view cue = cue_before(text, date->start, kBirthCues, kCueGap, 2);
    if (cue.empty()) return run_end;
    out.push_back({std::string(kDateOfBirth), date->start, date->end, "dob.date_after_cue", "cue:" + std::string(cue)});
    return date->end;
  });
}

void MedicalRecordNumberDetector::scan_runs(std::string_view text, std::span<const DigitRun> runs, std::vector<Finding>& out) const {
  constexpr size_t kMinDigits = 5, kMaxDigits = 12, kMaxLetters = 3;
  for_each_run(runs, [&](size_t run, size_t run_end) -> size_t {
    const size_t digits = run_end - run;
    if (digits < kMinDigits || digits > kMaxDigits || !ends_number_token(text, run_end)) return run_end;
    size_t start = run;  // an optional letter prefix: "A1234567", "MR-1234567"
    size_t letters_end = before(text, start) == '-' ? start - 1 : start;
    size_t letters = letters_end;
    while (letters > 0 && is_upper(text[letters - 1]) && letters_end - letters <= kMaxLetters) --letters;
    if (letters < letters_end && letters_end - letters <= kMaxLetters && !is_alnum(before(text, letters)))
      start = letters;
    else if (!starts_number_token(text, run))
      return run_end;
    const std::string_view cue = cue_before(text, start, kMedicalRecordCues, kCueGap, 1);
    if (cue.empty()) return run_end;
    out.push_back({std::string(kMedicalRecordNumber), start, run_end, "mrn.number_after_cue", "cue:" + std::string(cue)});
    return run_end;
  });
}

}  // namespace sb::policies
