#include "accounting/charge_builder.h"

#include <gtest/gtest.h>

namespace sb::accounting {
namespace {

const PriceTable kPrices(std::map<std::string, config::Price>{
    {"gpt-4o-mini", {0.15, 0.60, std::nullopt}}});

TEST(ChargeBuilderTest, ReportedUsageIsPricedByTheModelThatAnswered) {
  const Charge c = build_charge(kPrices, {"gpt-4o-mini", Usage{1'000'000, 1'000'000, 0},
                                          Usage{5, 5, 0}, nullptr, 0});
  EXPECT_EQ(c.target, "gpt-4o-mini");
  EXPECT_EQ(c.usage.prompt_tokens, 1'000'000);
  EXPECT_EQ(c.cost, Money::from_usd(0.75));
  EXPECT_EQ(c.savings, Money{});
  EXPECT_EQ(c.flags, 0u);
}

TEST(ChargeBuilderTest, MissingUsageBooksTheEstimateFlagged) {
  const Charge c = build_charge(kPrices, {"gpt-4o-mini", std::nullopt, Usage{2'000'000, 0, 0},
                                          nullptr, kChargePartial});
  EXPECT_EQ(c.usage.prompt_tokens, 2'000'000);
  EXPECT_EQ(c.cost, Money::from_usd(0.30));
  EXPECT_EQ(c.flags, kChargePartial | kChargeEstimated);
}

TEST(ChargeBuilderTest, PartialChargeNeverBooksLessThanWasGenerated) {
  // A stream cut after message_start: Anthropic had reported 1 output token, 1M were generated.
  const Charge cut = build_charge(kPrices, {"gpt-4o-mini", Usage{1'000'000, 1, 0},
                                            Usage{900'000, 1'000'000, 0}, nullptr, kChargePartial});
  EXPECT_EQ(cut.usage.prompt_tokens, 1'000'000);  // the reported prompt is kept
  EXPECT_EQ(cut.usage.completion_tokens, 1'000'000);
  EXPECT_EQ(cut.cost, Money::from_usd(0.75));
  EXPECT_EQ(cut.flags, kChargePartial | kChargeEstimated);

  // A complete answer books exactly what was reported, however the estimate differs.
  const Charge whole = build_charge(kPrices, {"gpt-4o-mini", Usage{1'000'000, 1, 0},
                                              Usage{900'000, 1'000'000, 0}, nullptr, 0});
  EXPECT_EQ(whole.usage.completion_tokens, 1);
  EXPECT_EQ(whole.flags, 0u);
}

TEST(ChargeBuilderTest, LocallyServedRoutesBookTheirSavings) {
  config::RouteConfig route;
  route.local = {"stories"};
  route.cloud = {"gpt-4o-mini"};
  const Charge c =
      build_charge(kPrices, {"stories", Usage{1'000'000, 0, 0}, Usage{}, &route, 0});
  EXPECT_EQ(c.cost, Money{});
  EXPECT_EQ(c.savings, Money::from_usd(0.15));
}

}  // namespace
}  // namespace sb::accounting
