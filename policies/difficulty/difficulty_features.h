#pragma once
// Prompt features for the difficulty scorer, computed in one pass over the text.
// Training (tools/train_difficulty.cpp) and scoring (DifficultyModel) both call
// extract_difficulty_features, so a model always sees the features it was fitted on.
//
// Two kinds of features:
//  - dense: a fixed vector of structural measures (length, digits, math and code
//    markers, multiple-choice structure, reasoning/constraint/negation cues, turns...),
//    each scaled to roughly [0, 1];
//  - hashed: lowercase word unigrams and bigrams (numbers folded to their digit count,
//    punctuation kept as one-character tokens, newlines as a token) and a few binned
//    dense measures, hashed (FNV-1a) into kHashBuckets buckets. Each occurrence is
//    handed to a sink with its value; nothing is allocated per n-gram.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace sb::policies {

inline constexpr uint32_t kHashBucketBits = 18;
inline constexpr uint32_t kHashBuckets = 1u << kHashBucketBits;

// Order is part of the model file format (names are written there and checked on load).
enum class DenseFeature : uint32_t {
  LogChars,
  LogWords,
  LogLines,
  DigitRatio,
  LogNumbers,
  MathSymbolRatio,
  LogLatexMarkers,
  LogCodeMarkers,
  UppercaseRatio,
  PunctuationRatio,
  NonAsciiRatio,
  LogQuestionMarks,
  ChoiceCount,
  EndsWithAnswerCue,
  LogMeanChoiceLength,
  PairedChoiceShare,
  LogPipes,
  LogReasoningCues,
  LogConstraintCues,
  LogNegationCues,
  LogStemChars,
  LogLongestLine,
  LogTurns,
  MeanWordLength,
  LogSentences,
  Count
};
inline constexpr std::size_t kDenseFeatureCount = static_cast<std::size_t>(DenseFeature::Count);

// Stable names of the dense features, in enum order (used by the model file).
const std::array<std::string_view, kDenseFeatureCount>& dense_feature_names();

using DenseFeatures = std::array<float, kDenseFeatureCount>;

// Receives every hashed feature occurrence (bucket < kHashBuckets). The same bucket may
// arrive several times; values add up. Occurrences arrive in a fixed order (per text),
// whichever of the two calls delivers them.
class HashedFeatureSink {
 public:
  virtual void add(uint32_t bucket, float value) = 0;
  // The same as add(bucket, value) for each bucket in turn, up to rounding (a sink may sum
  // a batch in another order); one call for a whole batch (the n-grams of a text all have
  // the same value), for sinks where calls are the cost.
  virtual void add_each(std::span<const uint32_t> buckets, float value) {
    for (const uint32_t bucket : buckets) add(bucket, value);
  }

 protected:
  ~HashedFeatureSink() = default;
};

// The features of a long prompt are read from a window of it: its first and last
// (kDifficultyWindowBytes - 1) / 2 bytes, joined by a line break (cut at character
// boundaries); only the length feature and its bin measure the whole prompt. A
// classifier needs the instructions and the question, which sit at the ends, and the
// score then costs the same for a prompt of 4 KB as for one of 400 KB (BERT-style routers
// truncate to 512 tokens, about this size, for the same reason). 1.3% of the routing
// prompts in ../shared are longer than the window.
inline constexpr std::size_t kDifficultyWindowBytes = 2049;

// The window of `prompt` (prompt itself when it fits; else built in `buffer`).
std::string_view difficulty_window(std::string_view prompt, std::array<char, kDifficultyWindowBytes>& buffer);

// Any bytes are accepted (invalid UTF-8 included); turns < 1 counts as 1.
DenseFeatures extract_difficulty_features(std::string_view prompt, int turns, HashedFeatureSink& sink);

}  // namespace sb::policies
