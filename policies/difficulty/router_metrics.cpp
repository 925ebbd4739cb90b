#include "policies/difficulty/router_metrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sb::policies {
namespace {

// Linear-interpolation quantile of sorted values (numpy/pandas default).
double quantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto low = static_cast<std::size_t>(std::floor(position));
  const std::size_t high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - static_cast<double>(low));
}

double trapezoid_area(const std::vector<RoutingCurvePoint>& curve) {
  double area = 0;
  for (std::size_t i = 1; i < curve.size(); ++i)
    area += (curve[i].strong_share - curve[i - 1].strong_share) * (curve[i].accuracy + curve[i - 1].accuracy) / 2;
  return area;
}

}  // namespace

RouterMetrics evaluate_router(std::span<const RoutedPrompt> prompts, int bins) {
  if (prompts.empty()) throw std::invalid_argument("evaluate_router: no prompts");
  if (bins < 1) throw std::invalid_argument("evaluate_router: bins must be >= 1");
  const auto n = static_cast<double>(prompts.size());

  RouterMetrics m;
  std::vector<double> sorted_scores;
  sorted_scores.reserve(prompts.size());
  for (const auto& p : prompts) {
    sorted_scores.push_back(p.score);
    m.weak_accuracy += p.weak_correct;
    m.strong_accuracy += p.strong_correct;
  }
  m.weak_accuracy /= n;
  m.strong_accuracy /= n;
  if (m.strong_accuracy == m.weak_accuracy)
    throw std::invalid_argument("evaluate_router: weak and strong models are equally accurate");
  std::sort(sorted_scores.begin(), sorted_scores.end());

  for (int i = 0; i <= bins; ++i) {
    const double threshold = quantile(sorted_scores, static_cast<double>(i) / bins);
    const bool last = i == bins;
    std::size_t strong_calls = 0, correct = 0;
    for (const auto& p : prompts) {
      const bool to_strong = last ? p.score > threshold : p.score >= threshold;
      strong_calls += to_strong;
      correct += to_strong ? p.strong_correct : p.weak_correct;
    }
    m.curve.push_back({static_cast<double>(strong_calls) / n, static_cast<double>(correct) / n});
  }
  std::sort(m.curve.begin(), m.curve.end(), [](const RoutingCurvePoint& a, const RoutingCurvePoint& b) {
    return a.strong_share != b.strong_share ? a.strong_share < b.strong_share : a.accuracy < b.accuracy;
  });

  const double width = m.curve.back().strong_share - m.curve.front().strong_share;
  const double gap_area = (m.strong_accuracy - m.weak_accuracy) * width;
  m.apgr = gap_area != 0 ? (trapezoid_area(m.curve) - m.weak_accuracy * width) / gap_area : 0.0;
  m.cpt50 = calls_to_recover(m.curve, m.weak_accuracy, m.strong_accuracy, 0.5);
  return m;
}

double calls_to_recover(const std::vector<RoutingCurvePoint>& curve, double weak_accuracy,
                        double strong_accuracy, double gap_fraction) {
  const double target = weak_accuracy + gap_fraction * (strong_accuracy - weak_accuracy);
  if (curve.empty()) return 1.0;
  if (curve.front().accuracy >= target) return curve.front().strong_share;
  for (std::size_t i = 1; i < curve.size(); ++i) {
    const auto& a = curve[i - 1];
    const auto& b = curve[i];
    if (b.accuracy >= target)  // a.accuracy < target, or we would have returned
      return a.strong_share + (b.strong_share - a.strong_share) * (target - a.accuracy) / (b.accuracy - a.accuracy);
  }
  return 1.0;
}

}  // namespace sb::policies
