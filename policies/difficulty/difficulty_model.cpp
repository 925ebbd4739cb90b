#include "policies/difficulty/difficulty_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace sb::policies {
namespace {

// Adds each hashed feature's weighted value to every head's linear term.
class HeadAccumulator final : public HashedFeatureSink {
 public:
  HeadAccumulator(const float* weights, std::size_t heads) : weights_(weights), heads_(heads) {}
  void add(uint32_t bucket, float value) override { add_each(std::span(&bucket, 1), value); }
  void add_each(std::span<const uint32_t> buckets, float value) override {
    switch (heads_) {
      case 1: accumulate<1>(buckets, value); break;
      case 2: accumulate<2>(buckets, value); break;
      case 3: accumulate<3>(buckets, value); break;
      default: accumulate<4>(buckets, value); break;
    }
  }
  double sum(std::size_t head) const { return sums_[head]; }

 private:
  static_assert(kMaxDifficultyHeads == 4, "add_each dispatches on 1..4 heads");

  // The head count as a constant lets the compiler keep the sums in registers. A batch is
  // summed in four interleaved partial sums per head (one chain of dependent additions
  // would wait a full add latency per term), which are then added to the running sums: the
  // order is a fixed function of the occurrences and their batches, so a text always gets
  // the same sum.
  template <std::size_t Heads>
  void accumulate(std::span<const uint32_t> buckets, float value) {
    constexpr std::size_t kLanes = 4;
    const double v = value;
    std::array<std::array<double, Heads>, kLanes> lanes{};
    const auto add_to = [&](std::array<double, Heads>& lane, uint32_t bucket) {
      const float* row = weights_ + static_cast<std::size_t>(bucket) * Heads;
      for (std::size_t h = 0; h < Heads; ++h) lane[h] += v * row[h];
    };
    std::size_t i = 0;
    for (; i + kLanes <= buckets.size(); i += kLanes)
      for (std::size_t l = 0; l < kLanes; ++l) add_to(lanes[l], buckets[i + l]);
    for (; i < buckets.size(); ++i) add_to(lanes[0], buckets[i]);
    for (std::size_t h = 0; h < Heads; ++h) sums_[h] += (lanes[0][h] + lanes[1][h]) + (lanes[2][h] + lanes[3][h]);
  }

  const float* weights_;
  std::size_t heads_;
  std::array<double, kMaxDifficultyHeads> sums_{};
};

double apply_link(DifficultyModelParams::Link link, double z) {
  return link == DifficultyModelParams::Link::Logistic ? 1.0 / (1.0 + std::exp(-z)) : z;
}

// Position of raw within the ascending table, as a fraction in [0, 1].
double percentile(const std::vector<double>& table, double raw) {
  if (raw <= table.front()) return 0.0;
  if (raw >= table.back()) return 1.0;
  const auto upper = std::upper_bound(table.begin(), table.end(), raw);
  const auto i = static_cast<std::size_t>(upper - table.begin());  // table[i-1] <= raw < table[i]
  const double low = table[i - 1], high = table[i];
  const double within = high > low ? (raw - low) / (high - low) : 0.0;
  return (static_cast<double>(i - 1) + within) / static_cast<double>(table.size() - 1);
}

}  // namespace

DifficultyModel::DifficultyModel(DifficultyModelParams params) {
  if (params.heads.empty() || params.heads.size() > kMaxDifficultyHeads)
    throw std::invalid_argument("difficulty model: between 1 and " + std::to_string(kMaxDifficultyHeads) +
                                " heads required, got " + std::to_string(params.heads.size()));
  if (params.hashed.size() != static_cast<std::size_t>(kHashBuckets) * params.heads.size())
    throw std::invalid_argument("difficulty model: hashed weights must have buckets x heads entries");
  if (params.calibration.size() == 1 || !std::is_sorted(params.calibration.begin(), params.calibration.end()))
    throw std::invalid_argument("difficulty model: calibration needs >= 2 ascending values");
  params_ = std::make_shared<const DifficultyModelParams>(std::move(params));
}

double DifficultyModel::raw_score(std::string_view prompt_text, int turns) const {
  const auto& p = *params_;
  HeadAccumulator hashed(p.hashed.data(), p.heads.size());
  const DenseFeatures dense = extract_difficulty_features(prompt_text, turns, hashed);
  double raw = 0;
  for (std::size_t h = 0; h < p.heads.size(); ++h) {
    const auto& head = p.heads[h];
    double z = head.bias + hashed.sum(h);
    for (std::size_t i = 0; i < kDenseFeatureCount; ++i) z += static_cast<double>(head.dense[i]) * dense[i];
    raw += head.coefficient * apply_link(head.link, z);
  }
  return raw;
}

double DifficultyModel::score(std::string_view prompt_text, int turns) const {
  const double raw = raw_score(prompt_text, turns);
  const auto& table = params_->calibration;
  if (table.empty()) return std::clamp(raw, 0.0, 1.0);
  return percentile(table, raw);
}

double DifficultyModel::score(const ChatRequest& request) const {
  std::string joined, storage;
  std::string_view user_text;  // the user turns joined by blank lines; one turn is not copied
  int user_turns = 0;
  for (const auto& message : request.messages) {
    if (message.role != Role::User) continue;
    if (user_turns == 1) joined = user_text;  // before `storage` is reused
    const std::string_view text = message.text_view(storage);
    if (user_turns++ == 0) {
      user_text = text;
      continue;
    }
    joined.append("\n\n").append(text);
    user_text = joined;
  }
  return score(user_text, std::max(user_turns, 1));
}

}  // namespace sb::policies
