#include "accounting/time_window.h"

#include <charconv>
#include <cstdio>

namespace sb::accounting {

namespace chr = std::chrono;

const char* to_string(BudgetWindow w) { return w == BudgetWindow::Daily ? "daily" : "monthly"; }

static chr::year_month_day civil_day(Timestamp t) {
  return chr::year_month_day{chr::floor<chr::days>(t)};
}

std::string day_key(Timestamp t) {
  const auto d = civil_day(t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::string month_key(Timestamp t) { return day_key(t).substr(0, 7); }

Timestamp window_start(BudgetWindow w, Timestamp t) {
  const auto day = chr::floor<chr::days>(t);
  if (w == BudgetWindow::Daily) return day;
  const auto d = chr::year_month_day{day};
  return chr::sys_days{d.year() / d.month() / chr::day{1}};
}

Timestamp window_reset(BudgetWindow w, Timestamp t) {
  const auto day = chr::floor<chr::days>(t);
  if (w == BudgetWindow::Daily) return day + chr::days{1};
  const auto d = chr::year_month_day{day};
  const auto next = chr::year_month{d.year() / d.month()} + chr::months{1};
  return chr::sys_days{next / chr::day{1}};
}

std::string format_iso8601(Timestamp t) {
  const auto day = chr::floor<chr::days>(t);
  const chr::hh_mm_ss hms{chr::floor<chr::seconds>(t - day)};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", day_key(t).c_str(),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

namespace {

// Reads exactly `width` digits at text[pos]; false when any is not a digit.
bool read_digits(std::string_view text, size_t pos, size_t width, int& out) {
  if (pos + width > text.size()) return false;
  const char* first = text.data() + pos;
  const auto [end, ec] = std::from_chars(first, first + width, out);
  return ec == std::errc{} && end == first + width;
}

}  // namespace

std::optional<Timestamp> parse_iso8601(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!read_digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' ||
      !read_digits(text, 5, 2, mo) || text[7] != '-' || !read_digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  if (text.size() > 10) {
    const bool shaped = text.size() == 20 && (text[10] == 'T' || text[10] == ' ') &&
                        text[13] == ':' && text[16] == ':' && text[19] == 'Z';
    if (!shaped || !read_digits(text, 11, 2, h) || !read_digits(text, 14, 2, mi) ||
        !read_digits(text, 17, 2, s) || h > 23 || mi > 59 || s > 59) {
      return std::nullopt;
    }
  }
  const chr::year_month_day date{chr::year{y}, chr::month{static_cast<unsigned>(mo)},
                                 chr::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return chr::sys_days{date} + chr::hours{h} + chr::minutes{mi} + chr::seconds{s};
}

}  // namespace sb::accounting
