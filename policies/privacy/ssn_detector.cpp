#include "policies/privacy/ssn_detector.h"

#include <array>
#include <string>

#include "policies/privacy/text_scan.h"

namespace sb::policies {
namespace {

using namespace text;

constexpr auto kSsnCues = std::to_array<std::string_view>(
    {"ssn", "ssn#", "ss#", "social security", "social security number", "social security no", "soc sec"});

// Digits laid out as 3-2-4 with `separator` between the groups ('\0': none); sets `end`.
bool read_layout(std::string_view text, size_t start, char separator, std::string& digits, size_t& end) {
  size_t pos = start;
  for (size_t group : {3u, 2u, 4u}) {
    if (group != 3) {
      if (separator != '\0' && at(text, pos) != separator) return false;
      if (separator != '\0') ++pos;
    }
    for (size_t k = 0; k < group; ++k, ++pos) {
      if (!is_digit(at(text, pos))) return false;
      digits.push_back(text[pos]);
    }
  }
  end = pos;
  return ends_number_token(text, end);
}

}  // namespace

bool ssn_issuable(std::string_view d) {
  if (d.size() != 9) return false;
  const std::string_view area = d.substr(0, 3), group = d.substr(3, 2), serial = d.substr(5, 4);
  if (area == "000" || area == "666" || area[0] == '9' || group == "00" || serial == "0000") return false;
  return d != "078051120" && d != "219099999";
}

void SsnDetector::scan_runs(std::string_view text, std::span<const DigitRun> runs, std::vector<Finding>& out) const {
  for_each_run(runs, [&](size_t run, size_t run_end) -> size_t {
    if ((run_end - run != 3 && run_end - run != 9) || !starts_number_token(text, run)) return run_end;
    for (char separator : {'-', ' ', '\0'}) {
      std::string digits;
      size_t end = 0;
      if (!read_layout(text, run, separator, digits, end) || !ssn_issuable(digits)) continue;
      std::string validated_by = "ssa-ranges", rule = "ssn.formatted";
      if (separator != '-') {  // spaced or bare digits are an SSN only when the text says so
        const std::string_view cue = cue_before(text, run, kSsnCues, 24, 2);
        if (cue.empty()) continue;
        validated_by += "+cue:" + std::string(cue);
        rule = "ssn.with_cue";
      }
      out.push_back({std::string(kUsSsn), run, end, std::move(rule), std::move(validated_by)});
      return end;
    }
    return run_end;
  });
}

}  // namespace sb::policies
