#pragma once
// The difficulty scorer: how much a prompt needs the strong model, in [0, 1].
//
// A linear model over extract_difficulty_features (difficulty_features.h) with one or
// more heads; the shipped model (data/difficulty_model.txt, fitted on split=train of
// ../shared/routing/routellm_eval.jsonl by tools/train_difficulty.cpp) has two logistic
// heads, P(weak model correct) and P(strong model correct), and its raw score is their
// difference: the expected accuracy gained by sending the prompt to the strong model.
// The raw score is then mapped through the training prompts' quantiles, so score() is a
// percentile: 0.6 means "needs the strong model more than 60% of the training prompts",
// and a threshold t sends about (1 - t) of such traffic to the strong model.
//
// Immutable after construction; score() is thread-safe, and score(text) allocates nothing.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/chat.h"
#include "policies/difficulty/difficulty_features.h"

namespace sb::policies {

// What a model file holds (format: see difficulty_model_file.cpp).
struct DifficultyModelParams {
  enum class Link { Logistic, Identity };
  struct Head {
    std::string name;
    Link link = Link::Logistic;
    double coefficient = 1;  // raw score = sum over heads of coefficient * link(z)
    double bias = 0;
    DenseFeatures dense{};
  };
  std::vector<Head> heads;
  std::vector<float> hashed;        // kHashBuckets * heads.size(), bucket-major
  std::vector<double> calibration;  // ascending raw scores at quantiles 0, 1/(n-1), ..., 1; empty = none
};

inline constexpr std::size_t kMaxDifficultyHeads = 4;

class DifficultyModel {
 public:
  static DifficultyModel builtin();  // the weights embedded at build time
  // Throws std::runtime_error naming the file and the problem.
  static DifficultyModel load(const std::filesystem::path& path);
  // source_name appears in error messages. Throws std::runtime_error.
  static DifficultyModel parse(std::string_view text, const std::string& source_name);
  // Throws std::invalid_argument when params are inconsistent (1..kMaxDifficultyHeads heads, sizes).
  explicit DifficultyModel(DifficultyModelParams params);

  // In [0, 1]; higher = more deserving of the strong model. Without a calibration table
  // the raw score is clamped to [0, 1].
  double score(std::string_view prompt_text, int turns = 1) const;
  // Scores the text of the user messages, joined oldest first with blank lines (earlier
  // turns are context the weak model must also handle), with turns = number of user
  // messages. System prompts are left out: they describe the application, are often long
  // and identical for every request, and would push every request the same way.
  double score(const ChatRequest& request) const;

  // The uncalibrated score (sum of coefficient * link(head)); what calibration maps.
  double raw_score(std::string_view prompt_text, int turns = 1) const;

  const DifficultyModelParams& params() const { return *params_; }
  std::string serialize() const;  // the model file text; parse(serialize()) scores identically

 private:
  std::shared_ptr<const DifficultyModelParams> params_;
};

}  // namespace sb::policies
