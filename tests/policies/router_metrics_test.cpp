#include "policies/difficulty/router_metrics.h"

#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace sb::policies {
namespace {

// Ten prompts scored 0..9. Worked by hand: thresholds are the deciles 0, 0.9, ..., 8.1
// and "> 9"; the curve (share -> accuracy) is 0->.7, .1->.8, .2/.3/.4->.9, .5..1->.8;
// its trapezoid area is .825, so APGR = (.825 - .7) / (.8 - .7) = 1.25, and PGR 50%
// (accuracy .75) is first reached halfway between 0% and 10% strong calls.
std::vector<RoutedPrompt> ten_prompts() {
  std::vector<RoutedPrompt> p(10);
  for (int i = 0; i < 10; ++i) p[i] = {static_cast<double>(i), true, true};
  p[9] = {9, false, true};
  p[8] = {8, false, true};
  p[6] = {6, false, false};
  p[5] = {5, true, false};
  return p;
}

TEST(RouterMetricsTest, MatchesHandComputedRouteLlmFigures) {
  const auto m = evaluate_router(ten_prompts());
  EXPECT_DOUBLE_EQ(m.weak_accuracy, 0.7);
  EXPECT_DOUBLE_EQ(m.strong_accuracy, 0.8);
  EXPECT_NEAR(m.apgr, 1.25, 1e-12);
  EXPECT_NEAR(m.cpt50, 0.05, 1e-12);
  ASSERT_EQ(m.curve.size(), 11u);
  EXPECT_DOUBLE_EQ(m.curve.front().strong_share, 0.0);
  EXPECT_DOUBLE_EQ(m.curve.front().accuracy, 0.7);
  EXPECT_DOUBLE_EQ(m.curve.back().strong_share, 1.0);
  EXPECT_DOUBLE_EQ(m.curve.back().accuracy, 0.8);
}

TEST(RouterMetricsTest, ConstantScoreIsARandomRouter) {
  auto prompts = ten_prompts();
  for (auto& p : prompts) p.score = 0.5;
  const auto m = evaluate_router(prompts);
  EXPECT_NEAR(m.apgr, 0.5, 1e-12);
  EXPECT_NEAR(m.cpt50, 0.5, 1e-12);
}

TEST(RouterMetricsTest, ReversedScoreDoesWorse) {
  auto prompts = ten_prompts();
  for (auto& p : prompts) p.score = -p.score;
  EXPECT_LT(evaluate_router(prompts).apgr, 0.5);
  EXPECT_GT(evaluate_router(prompts).cpt50, 0.5);
}

TEST(RouterMetricsTest, CallsToRecoverIsOneWhenNeverReached) {
  const std::vector<RoutingCurvePoint> curve = {{0.0, 0.5}, {1.0, 0.6}};
  EXPECT_DOUBLE_EQ(calls_to_recover(curve, 0.5, 0.8, 0.5), 1.0);
  EXPECT_NEAR(calls_to_recover(curve, 0.5, 0.6, 0.5), 0.5, 1e-12);
}

TEST(RouterMetricsTest, RejectsDegenerateInput) {
  EXPECT_THROW(evaluate_router({}), std::invalid_argument);
  const std::vector<RoutedPrompt> tied = {{1, true, true}, {2, false, false}};
  EXPECT_THROW(evaluate_router(tied), std::invalid_argument);
  EXPECT_THROW(evaluate_router(ten_prompts(), 0), std::invalid_argument);
}

}  // namespace
}  // namespace sb::policies
