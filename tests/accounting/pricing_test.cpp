#include "accounting/pricing.h"

#include <gtest/gtest.h>

#include "accounting/money.h"

namespace sb::accounting {
namespace {

const std::map<std::string, config::Price> kPriceList = {
    {"gpt-4o", {2.50, 10.00, 1.25}},
    {"gpt-4o-mini", {0.15, 0.60, std::nullopt}},
};

TEST(MoneyTest, CountsNanoDollarsAndFormatsUsd) {
  EXPECT_EQ(Money::from_usd(1.5).nanousd, 1'500'000'000);
  EXPECT_EQ(Money::from_usd(0.29).nanousd, 290'000'000);  // rounded, not truncated
  EXPECT_EQ(format_usd(Money::from_usd(12.3456789)), "12.345679");
  EXPECT_LT(Money::from_usd(1), Money::from_usd(1.000000001));
}

TEST(PricingTest, CostIsPerMillionTokensWithCachedInput) {
  const config::Price& price = kPriceList.at("gpt-4o");
  // 1M uncached input ($2.50) + 1M output ($10) = $12.50
  EXPECT_EQ(cost_of(price, Usage{1'000'000, 1'000'000, 0}), Money::from_usd(12.5));
  // 400k of 1M prompt tokens cached: 600k * 2.5 + 400k * 1.25 = 1.5 + 0.5 = $2
  EXPECT_EQ(cost_of(price, Usage{1'000'000, 0, 400'000}), Money::from_usd(2.0));
  // One token of a cheap model is still counted: 0.15 / 1M = 150 nano-dollars.
  EXPECT_EQ(cost_of(kPriceList.at("gpt-4o-mini"), Usage{1, 0, 0}).nanousd, 150);
}

TEST(PricingTest, CachedTokensWithoutACachedPriceCostTheInputPrice) {
  const config::Price& mini = kPriceList.at("gpt-4o-mini");
  EXPECT_EQ(cost_of(mini, Usage{1000, 0, 1000}), cost_of(mini, Usage{1000, 0, 0}));
}

TEST(PricingTest, CachedCountAboveThePromptIsClamped) {
  const config::Price& price = kPriceList.at("gpt-4o");
  EXPECT_EQ(cost_of(price, Usage{100, 0, 500}), cost_of(price, Usage{100, 0, 100}));
}

TEST(PricingTest, UnpricedModelsAreFree) {
  const PriceTable table(kPriceList);
  EXPECT_EQ(table.find("stories"), nullptr);
  EXPECT_EQ(table.cost("stories", Usage{1000, 1000, 0}), Money{});
  EXPECT_EQ(table.cost("gpt-4o", Usage{1000, 0, 0}), Money::from_usd(0.0025));
}

TEST(PricingTest, TheHoldIsForTheDearestFallbackTarget) {
  const PriceTable table(kPriceList);
  // gpt-4o: 1000 prompt tokens ($0.0025) + 500 max output ($0.005); dearer than the others.
  const HoldEstimate hold =
      table.hold_for({{"stories", 1200, 500}, {"gpt-4o-mini", 1000, 500}, {"gpt-4o", 1000, 500}});
  EXPECT_EQ(hold.input, Money::from_usd(0.0025));
  EXPECT_EQ(hold.output_max, Money::from_usd(0.005));
  EXPECT_EQ(hold.total(), Money::from_usd(0.0075));
  EXPECT_EQ(table.hold_for({{"stories", 1000, 500}}).total(), Money{});
  EXPECT_EQ(table.hold_for({}).total(), Money{});
}

TEST(PricingTest, AHoldForAbsurdTokenCountsSaturatesInsteadOfWrapping) {
  const PriceTable table(kPriceList);
  const HoldEstimate hold = table.hold_for({{"gpt-4o", INT64_MAX, INT64_MAX}});
  EXPECT_GT(hold.input, Money::from_usd(1e9));
  EXPECT_GT(hold.output_max, Money::from_usd(1e9));
  EXPECT_GT(hold.total(), hold.output_max) << "the sum must not overflow either";
  EXPECT_GT(table.cost("gpt-4o", Usage{INT64_MAX, INT64_MAX, 0}), Money::from_usd(1e9));
}

TEST(PricingTest, SavingsAreTheFirstCloudModelsPriceForLocallyServedTokens) {
  const PriceTable table(kPriceList);
  config::RouteConfig route;
  route.local = {"stories"};
  route.cloud = {"gpt-4o-mini", "gpt-4o"};
  const Usage usage{1'000'000, 1'000'000, 0};
  EXPECT_EQ(table.savings(route, "stories", usage), Money::from_usd(0.75));  // 0.15 + 0.60
  EXPECT_EQ(table.savings(route, "gpt-4o", usage), Money{});  // served by the cloud: no savings
  route.cloud.clear();
  EXPECT_EQ(table.savings(route, "stories", usage), Money{});
}

}  // namespace
}  // namespace sb::accounting
