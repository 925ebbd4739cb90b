#pragma once
// Money as an integer count of nano-dollars (1e-9 USD). Prices are USD per 1M tokens, so one
// token at price P costs P * 1000 nano-USD: a cheap model's single token (0.15 / 1M) is still
// 150 nano-USD, and caps compare exactly, in C++ and in SQL alike, with no floating drift.
#include <compare>
#include <cstdint>
#include <string>

namespace sb::accounting {

struct Money {
  int64_t nanousd = 0;

  static Money from_usd(double usd);  // rounded to the nearest nano-dollar
  double usd() const { return static_cast<double>(nanousd) / 1e9; }

  friend Money operator+(Money a, Money b) { return {a.nanousd + b.nanousd}; }
  friend Money operator-(Money a, Money b) { return {a.nanousd - b.nanousd}; }
  Money& operator+=(Money o) { nanousd += o.nanousd; return *this; }
  friend auto operator<=>(Money, Money) = default;
};

// "12.345678" — USD with six decimals, for reports and error messages.
std::string format_usd(Money m);

}  // namespace sb::accounting
