#include "accounting/money.h"

#include <cmath>
#include <cstdio>

namespace sb::accounting {

Money Money::from_usd(double usd) { return {std::llround(usd * 1e9)}; }

std::string format_usd(Money m) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", m.usd());
  return buf;
}

}  // namespace sb::accounting
