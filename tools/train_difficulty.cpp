// Fits the difficulty scorer (policies/difficulty) on split=train of the RouteLLM routing
// set and writes the model file that sb_policies embeds (scripts/train_difficulty.sh).
//
//   train_difficulty [--data ../shared/routing/routellm_eval.jsonl] [--out data/difficulty_model.txt]
//
// Reads split=train only. The model has two logistic heads over the same features,
// P(weak model correct) and P(strong model correct); the raw score is their difference,
// the expected accuracy gained by routing the prompt to the strong model. That is what
// the APGR curve rewards: sending a prompt both models answer, or both fail, gains
// nothing, and sending one only the weak model answers loses. (Predicting "the weak
// model fails" instead ranks prompts that both models fail, such as hard arithmetic in
// MMLU, too high.)
//
// Hyperparameters are chosen by 5-fold cross-validation within train, by the APGR of the
// out-of-fold scores; folds are grouped by MMLU subject because the test split holds
// other subjects. Deterministic: fixed seed, fixed order, no threads.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "policies/difficulty/difficulty_features.h"
#include "policies/difficulty/difficulty_model.h"
#include "policies/difficulty/router_metrics.h"
#include "policies/difficulty/routing_dataset.h"

namespace {

using namespace sb::policies;

// One training prompt's features (hashed: duplicates merged, buckets ascending).
struct Example {
  DenseFeatures dense{};
  std::vector<std::pair<uint32_t, float>> hashed;
  bool weak_correct = false;
  bool strong_correct = false;
  int subject = 0;  // index into the sorted subject names
  int fold = 0;
};

class CollectingSink final : public HashedFeatureSink {
 public:
  void add(uint32_t bucket, float value) override { entries.emplace_back(bucket, value); }
  std::vector<std::pair<uint32_t, float>> entries;
};

constexpr int kFolds = 5;
constexpr uint64_t kSeed = 20240601;

// Folds grouped by subject (round-robin over the sorted names) so that validation, like
// the test split, sees unseen subjects. GSM8K, one subject on both sides of the official
// split, is spread over the folds by row.
std::vector<Example> build_examples(const std::vector<LabeledPrompt>& rows) {
  std::map<std::string, int> subject_index;
  for (const auto& row : rows) subject_index.emplace(row.subject, 0);
  int next = 0;
  for (auto& entry : subject_index) entry.second = next++;

  std::vector<Example> examples;
  examples.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    CollectingSink sink;
    Example e;
    e.dense = extract_difficulty_features(row.prompt, 1, sink);
    std::sort(sink.entries.begin(), sink.entries.end());
    for (const auto& [bucket, value] : sink.entries) {
      if (!e.hashed.empty() && e.hashed.back().first == bucket) e.hashed.back().second += value;
      else e.hashed.emplace_back(bucket, value);
    }
    e.weak_correct = row.weak_correct;
    e.strong_correct = row.strong_correct;
    e.subject = subject_index.at(row.subject);
    e.fold = row.benchmark == "gsm8k" ? static_cast<int>(i % kFolds) : e.subject % kFolds;
    examples.push_back(std::move(e));
  }
  return examples;
}

struct Hyperparameters {
  int epochs = 5;
  double learning_rate = 0.05;  // AdaGrad step
  double l2 = 1e-4;             // on dense weights; hashed weights get l2 * hashed_l2_factor
  double hashed_l2_factor = 1;
  int min_subjects = 1;  // a hashed bucket is learned only if it occurs in this many subjects
};

// One logistic regression: AdaGrad SGD, L2 on the weights a step touches.
struct LogisticHead {
  double bias = 0, bias_g2 = 0;
  std::vector<double> dense = std::vector<double>(kDenseFeatureCount, 0.0);
  std::vector<double> dense_g2 = std::vector<double>(kDenseFeatureCount, 0.0);
  std::vector<double> hashed = std::vector<double>(kHashBuckets, 0.0);
  std::vector<double> hashed_g2 = std::vector<double>(kHashBuckets, 0.0);

  double linear(const Example& e) const {
    double z = bias;
    for (std::size_t i = 0; i < kDenseFeatureCount; ++i) z += dense[i] * e.dense[i];
    for (const auto& [bucket, value] : e.hashed) z += hashed[bucket] * value;
    return z;
  }

  void step(const Example& e, bool label, const Hyperparameters& hp, const std::vector<bool>& learnable) {
    const double error = 1.0 / (1.0 + std::exp(-linear(e))) - (label ? 1.0 : 0.0);
    const auto update = [&](double& w, double& g2, double x, double l2) {
      const double g = error * x + l2 * w;
      g2 += g * g;
      w -= hp.learning_rate * g / std::sqrt(g2 + 1e-8);
    };
    update(bias, bias_g2, 1.0, 0.0);
    for (std::size_t i = 0; i < kDenseFeatureCount; ++i)
      if (e.dense[i] != 0.0f) update(dense[i], dense_g2[i], e.dense[i], hp.l2);
    for (const auto& [bucket, value] : e.hashed)
      if (learnable[bucket]) update(hashed[bucket], hashed_g2[bucket], value, hp.l2 * hp.hashed_l2_factor);
  }
};

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

struct TwoHeads {
  LogisticHead weak, strong;
  // Same formula as DifficultyModel::raw_score with coefficients -1 (weak) and +1 (strong).
  double raw(const Example& e) const { return sigmoid(strong.linear(e)) - sigmoid(weak.linear(e)); }
};

// Fisher-Yates with mt19937_64 (fully specified by the standard, unlike std::shuffle).
void deterministic_shuffle(std::vector<std::size_t>& order, std::mt19937_64& rng) {
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
}

std::vector<bool> learnable_buckets(const std::vector<Example>& examples, const std::vector<std::size_t>& training,
                                    int min_subjects) {
  std::vector<int> subjects(kHashBuckets, 0);
  std::vector<int> last_subject(kHashBuckets, -1);
  for (std::size_t i : training)
    for (const auto& entry : examples[i].hashed)
      if (last_subject[entry.first] != examples[i].subject) {
        ++subjects[entry.first];
        last_subject[entry.first] = examples[i].subject;
      }
  std::vector<bool> learnable(kHashBuckets);
  for (uint32_t b = 0; b < kHashBuckets; ++b) learnable[b] = subjects[b] >= min_subjects;
  return learnable;
}

TwoHeads fit(const std::vector<Example>& examples, const std::vector<std::size_t>& training,
             const Hyperparameters& hp) {
  const auto learnable = learnable_buckets(examples, training, hp.min_subjects);
  TwoHeads model;
  std::mt19937_64 rng(kSeed);
  std::vector<std::size_t> order = training;
  for (int epoch = 0; epoch < hp.epochs; ++epoch) {
    deterministic_shuffle(order, rng);
    for (std::size_t i : order) {
      model.weak.step(examples[i], examples[i].weak_correct, hp, learnable);
      model.strong.step(examples[i], examples[i].strong_correct, hp, learnable);
    }
  }
  return model;
}

RouterMetrics cross_validate(const std::vector<Example>& examples, const Hyperparameters& hp) {
  std::vector<RoutedPrompt> out_of_fold(examples.size());
  for (int fold = 0; fold < kFolds; ++fold) {
    std::vector<std::size_t> training;
    for (std::size_t i = 0; i < examples.size(); ++i)
      if (examples[i].fold != fold) training.push_back(i);
    const TwoHeads model = fit(examples, training, hp);
    for (std::size_t i = 0; i < examples.size(); ++i)
      if (examples[i].fold == fold)
        out_of_fold[i] = {model.raw(examples[i]), examples[i].weak_correct, examples[i].strong_correct};
  }
  return evaluate_router(out_of_fold);
}

// Four significant digits are plenty for ranking and keep the file small.
float rounded(double w) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", w);
  return std::strtof(buffer, nullptr);
}

DifficultyModelParams::Head to_head(const LogisticHead& head, const std::string& name, double coefficient) {
  DifficultyModelParams::Head h;
  h.name = name;
  h.link = DifficultyModelParams::Link::Logistic;
  h.coefficient = coefficient;
  h.bias = head.bias;
  for (std::size_t i = 0; i < kDenseFeatureCount; ++i) h.dense[i] = static_cast<float>(head.dense[i]);
  return h;
}

// The calibration table holds the raw scores of the training prompts at 101 evenly spaced
// quantiles, computed with the rounded weights that go into the file.
DifficultyModel to_model(const TwoHeads& fitted, const std::vector<LabeledPrompt>& rows) {
  DifficultyModelParams p;
  p.heads = {to_head(fitted.weak, "weak_correct", -1.0), to_head(fitted.strong, "strong_correct", 1.0)};
  p.hashed.resize(static_cast<std::size_t>(kHashBuckets) * 2);
  for (uint32_t b = 0; b < kHashBuckets; ++b) {
    p.hashed[2 * b] = rounded(fitted.weak.hashed[b]);
    p.hashed[2 * b + 1] = rounded(fitted.strong.hashed[b]);
  }
  const DifficultyModel uncalibrated(p);
  std::vector<double> raw;
  raw.reserve(rows.size());
  for (const auto& row : rows) raw.push_back(uncalibrated.raw_score(row.prompt));
  std::sort(raw.begin(), raw.end());
  constexpr std::size_t kPoints = 101;
  for (std::size_t k = 0; k < kPoints; ++k) p.calibration.push_back(raw[(raw.size() - 1) * k / (kPoints - 1)]);
  return DifficultyModel(std::move(p));
}

void print_metrics(const std::string& label, const RouterMetrics& m) {
  std::printf("%-58s APGR %.4f  CPT(50%%) %5.1f%%\n", label.c_str(), m.apgr, 100 * m.cpt50);
}

std::string describe(const Hyperparameters& hp) {
  char text[160];
  std::snprintf(text, sizeof text, "epochs=%d lr=%g l2=%g hashed_l2_x%g min_subjects=%d", hp.epochs,
                hp.learning_rate, hp.l2, hp.hashed_l2_factor, hp.min_subjects);
  return text;
}

// Ordered from the most to the least constrained. Cross-validation differences of a few
// thousandths of APGR are noise, so the first candidate within kApgrTolerance of the best
// wins: the simpler model (fewer learned buckets, a smaller file) at equal quality.
std::vector<Hyperparameters> candidate_hyperparameters() {
  std::vector<Hyperparameters> grid;
  for (int min_subjects : {6, 3})
    for (double hashed_l2_factor : {10.0, 1.0})
      for (const auto& [epochs, learning_rate] : {std::pair{5, 0.05}, std::pair{20, 0.01}})
        grid.push_back({epochs, learning_rate, 1e-4, hashed_l2_factor, min_subjects});
  return grid;
}
constexpr double kApgrTolerance = 0.005;

struct Options {
  std::string data = "../shared/routing/routellm_eval.jsonl";
  std::string out = "data/difficulty_model.txt";
};

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--data" && i + 1 < argc) o.data = argv[++i];
    else if (arg == "--out" && i + 1 < argc) o.out = argv[++i];
    else throw std::runtime_error("usage: train_difficulty [--data routellm_eval.jsonl] [--out model.txt]");
  }
  return o;
}

int run(const Options& options) {
  const auto rows = load_routing_split(options.data, "train");
  if (rows.empty()) throw std::runtime_error("no split=train rows in " + options.data);
  const auto examples = build_examples(rows);
  std::printf("split=train prompts: %zu\n", rows.size());

  const auto grid = candidate_hyperparameters();
  std::vector<double> cv_apgr;
  for (const auto& hp : grid) {
    const auto m = cross_validate(examples, hp);
    print_metrics("cv " + describe(hp), m);
    cv_apgr.push_back(m.apgr);
  }
  const double best_apgr = *std::max_element(cv_apgr.begin(), cv_apgr.end());
  const auto chosen = std::find_if(cv_apgr.begin(), cv_apgr.end(),
                                   [&](double apgr) { return apgr >= best_apgr - kApgrTolerance; });
  const Hyperparameters best = grid[static_cast<std::size_t>(chosen - cv_apgr.begin())];
  std::printf("chosen: %s\n", describe(best).c_str());

  std::vector<std::size_t> all(examples.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const DifficultyModel model = to_model(fit(examples, all, best), rows);

  std::vector<RoutedPrompt> routed;
  for (const auto& row : rows) routed.push_back({model.score(row.prompt), row.weak_correct, row.strong_correct});
  print_metrics("train, in-sample (optimistic)", evaluate_router(routed));

  const std::string text = model.serialize();
  std::ofstream out(options.out, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + options.out);
  std::printf("wrote %s (%zu bytes)\n", options.out.c_str(), text.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "train_difficulty: " << e.what() << "\n";
    return 1;
  }
}
