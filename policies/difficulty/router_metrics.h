#pragma once
// How well a difficulty score routes between a weak and a strong model, as RouteLLM
// measures it (routellm/evals: benchmarks.py and evaluate.py):
//  - the score's quantiles at 0, 1/bins, ..., 1 are the thresholds (pandas qcut,
//    linear interpolation); at each threshold the prompts scoring >= it go to the strong
//    model (> it for the last, so that the curve reaches 0% strong calls);
//  - accuracy(share) is the mean correctness of the model each prompt went to;
//  - APGR = (AUC - weak AUC) / (strong AUC - weak AUC), the AUCs being trapezoids over
//    the strong-call share; PGR(share) = (accuracy - weak) / (strong - weak);
//  - CPT(x) = the share of strong calls at which PGR first reaches x, interpolated
//    linearly between curve points (RouteLLM's np.interp, which assumes a curve rising
//    with the share; "first" makes it well defined when it does not).
// Used by the trainer (model selection) and by the evaluation test, so both agree.
#include <span>
#include <vector>

namespace sb::policies {

struct RoutedPrompt {
  double score = 0;  // higher = more deserving of the strong model
  bool weak_correct = false;
  bool strong_correct = false;
};

struct RoutingCurvePoint {
  double strong_share = 0;  // in [0, 1]
  double accuracy = 0;      // in [0, 1]
};

struct RouterMetrics {
  double weak_accuracy = 0;
  double strong_accuracy = 0;
  double apgr = 0;
  double cpt50 = 0;                       // CPT(50%), a share in [0, 1]
  std::vector<RoutingCurvePoint> curve;  // ascending strong_share
};

inline constexpr int kRouteLlmBins = 10;

// Throws std::invalid_argument when prompts is empty, bins < 1, or both models are
// equally accurate (PGR undefined).
RouterMetrics evaluate_router(std::span<const RoutedPrompt> prompts, int bins = kRouteLlmBins);

// CPT(gap_fraction) on a curve from evaluate_router; 1 when the curve never gets there.
double calls_to_recover(const std::vector<RoutingCurvePoint>& curve, double weak_accuracy,
                        double strong_accuracy, double gap_fraction);

}  // namespace sb::policies
