#include "policies/difficulty/difficulty_features.h"

#include <array>
#include <cmath>
#include <map>
#include <string>

#include <gtest/gtest.h>

namespace sb::policies {
namespace {

class MapSink final : public HashedFeatureSink {
 public:
  void add(uint32_t bucket, float value) override {
    ASSERT_LT(bucket, kHashBuckets);
    values[bucket] += value;
    ++calls;
  }
  std::map<uint32_t, double> values;
  int calls = 0;
};

float feature(const DenseFeatures& f, DenseFeature which) { return f[static_cast<std::size_t>(which)]; }

constexpr const char* kMultipleChoice =
    "Which of the following is NOT a prime number?\nA. 2\nB. 3\nC. 9\nD. 11\nAnswer:";
constexpr const char* kPairedJudgements =
    "Statement 1 | Every group is abelian. Statement 2 | Z is cyclic.\n"
    "A. True, True\nB. False, False\nC. True, False\nD. False, True\nAnswer:";

TEST(DifficultyFeaturesTest, ReadsMultipleChoiceStructure) {
  MapSink sink;
  const auto f = extract_difficulty_features(kMultipleChoice, 1, sink);
  EXPECT_FLOAT_EQ(feature(f, DenseFeature::ChoiceCount), 1.0f);  // 4 choices / 4
  EXPECT_FLOAT_EQ(feature(f, DenseFeature::EndsWithAnswerCue), 1.0f);
  EXPECT_FLOAT_EQ(feature(f, DenseFeature::PairedChoiceShare), 0.0f);
  EXPECT_GT(feature(f, DenseFeature::LogNegationCues), 0.0f);  // "NOT"
  // The stem is the text before "A. 2": 46 characters.
  EXPECT_NEAR(feature(f, DenseFeature::LogStemChars), std::log1p(46.0) / 8.0, 1e-6);

  const auto paired = extract_difficulty_features(kPairedJudgements, 1, sink);
  EXPECT_FLOAT_EQ(feature(paired, DenseFeature::PairedChoiceShare), 1.0f);
  EXPECT_GT(feature(paired, DenseFeature::LogPipes), 0.0f);
}

TEST(DifficultyFeaturesTest, OpenQuestionHasNoChoicesButNumbersAndCues) {
  MapSink sink;
  const auto f = extract_difficulty_features(
      "A farmer has 12 cows and buys 3 more each week. How many cows does he have after 5 weeks?", 1, sink);
  EXPECT_FLOAT_EQ(feature(f, DenseFeature::ChoiceCount), 0.0f);
  EXPECT_FLOAT_EQ(feature(f, DenseFeature::EndsWithAnswerCue), 0.0f);
  EXPECT_NEAR(feature(f, DenseFeature::LogNumbers), std::log1p(3.0) / 4.0, 1e-6);
  EXPECT_NEAR(feature(f, DenseFeature::LogReasoningCues), std::log1p(1.0) / 3.0, 1e-6);  // "how many"
  EXPECT_NEAR(feature(f, DenseFeature::LogQuestionMarks), std::log1p(1.0) / 2.0, 1e-6);
}

TEST(DifficultyFeaturesTest, HashedNgramsAreCaseInsensitiveAndNormalizedByLength) {
  MapSink lower, upper;
  extract_difficulty_features("solve the equation", 1, lower);
  extract_difficulty_features("SOLVE THE EQUATION", 1, upper);
  EXPECT_EQ(lower.values, upper.values);
  // 3 unigrams + 2 bigrams at 1/sqrt(3) each, plus 4 binned measures at 1.
  EXPECT_EQ(lower.calls, 9);
  double ngram_mass = 0;
  for (const auto& [bucket, value] : lower.values) ngram_mass += value;
  EXPECT_NEAR(ngram_mass, 5.0 / std::sqrt(3.0) + 4.0, 1e-5);
}

// Words are read eight bytes at a time while eight are left and byte by byte after; a
// word must hash the same either way, wherever it starts (cue words are found by hash).
TEST(DifficultyFeaturesTest, AWordHashesTheSameWhereverItSits) {
  for (const std::string word : {"therefore", "Therefore", "why", "determine", "reasoning"}) {
    MapSink reference;
    const float cues = feature(extract_difficulty_features(word, 1, reference), DenseFeature::LogReasoningCues);
    EXPECT_NEAR(cues, std::log1p(1.0) / 3.0, 1e-6) << word;
    for (std::size_t pad = 0; pad < 17; ++pad) {
      const std::string before(pad, 'a');
      MapSink inside, at_end;
      const auto f = extract_difficulty_features(before + " " + word + " zzzzzzzzzzzzzzzz", 1, inside);
      EXPECT_FLOAT_EQ(feature(f, DenseFeature::LogReasoningCues), cues) << word << " after " << pad;
      const auto g = extract_difficulty_features(before + " " + word, 1, at_end);
      EXPECT_FLOAT_EQ(feature(g, DenseFeature::LogReasoningCues), cues) << word << " at the end after " << pad;
    }
  }
}

TEST(DifficultyFeaturesTest, TurnsAndOddBytes) {
  MapSink sink;
  EXPECT_FLOAT_EQ(feature(extract_difficulty_features("hi", 0, sink), DenseFeature::LogTurns), 0.0f);
  EXPECT_NEAR(feature(extract_difficulty_features("hi", 4, sink), DenseFeature::LogTurns), std::log(4.0), 1e-6);
  static constexpr char kOdd[] = "\xff\xfe\0\x80 caf\xc3\xa9 \n\n\t|";
  const std::string odd(kOdd, sizeof kOdd - 1);
  const auto f = extract_difficulty_features(odd, 1, sink);
  EXPECT_GT(feature(f, DenseFeature::NonAsciiRatio), 0.0f);
  const auto empty = extract_difficulty_features("", 1, sink);
  EXPECT_FLOAT_EQ(feature(empty, DenseFeature::LogChars), 0.0f);
}

// A long prompt is read through its first and last kilobyte: what lies between changes
// nothing but the length feature, and a prompt that fits is read whole.
TEST(DifficultyFeaturesTest, LongPromptsAreReadThroughAWindowOfTheirEnds) {
  const std::string head = "Solve for x and explain each step. " + std::string(1100, 'a');
  const std::string tail = std::string(1100, 'z') + " How many solutions are there? Answer:";
  MapSink middle_a, middle_b, middle_c;
  const auto a = extract_difficulty_features(head + std::string(3000, 'm') + tail, 1, middle_a);
  const auto b = extract_difficulty_features(head + std::string(3000, '7') + tail, 1, middle_b);
  const auto c = extract_difficulty_features(head + std::string(9000, 'm') + tail, 1, middle_c);
  EXPECT_EQ(a, b);
  EXPECT_EQ(middle_a.values, middle_b.values);
  for (std::size_t i = 0; i < kDenseFeatureCount; ++i) {
    if (i == static_cast<std::size_t>(DenseFeature::LogChars)) continue;
    EXPECT_EQ(a[i], c[i]) << dense_feature_names()[i];
  }
  EXPECT_GT(feature(c, DenseFeature::LogChars), feature(a, DenseFeature::LogChars));
  EXPECT_FLOAT_EQ(feature(a, DenseFeature::EndsWithAnswerCue), 1.0f);  // the tail is kept
  EXPECT_GT(feature(a, DenseFeature::LogReasoningCues), 0.0f);         // and the head

  std::array<char, kDifficultyWindowBytes> buffer;
  const std::string fits(kDifficultyWindowBytes, 'q');
  EXPECT_EQ(difficulty_window(fits, buffer).data(), fits.data());
  // Cuts fall between characters: "é" is two bytes, never split.
  const std::string accented = [] {
    std::string s;
    while (s.size() < 3 * kDifficultyWindowBytes) s += "\xc3\xa9";
    return s;
  }();
  const std::string_view window = difficulty_window(accented, buffer);
  EXPECT_LE(window.size(), kDifficultyWindowBytes);
  const std::size_t seam = window.find('\n');
  ASSERT_NE(seam, std::string_view::npos);
  EXPECT_EQ(seam % 2, 0u);
  EXPECT_EQ((window.size() - seam - 1) % 2, 0u);
  EXPECT_EQ(static_cast<unsigned char>(window[seam + 1]), 0xc3);
  // Invalid UTF-8 (continuation bytes only) moves a cut by at most 3 bytes.
  const std::string stray(5000, '\x80');
  EXPECT_GE(difficulty_window(stray, buffer).size(), kDifficultyWindowBytes - 6);
}

TEST(DifficultyFeaturesTest, NamesCoverEveryDenseFeature) {
  const auto& names = dense_feature_names();
  for (const auto name : names) EXPECT_FALSE(name.empty());
  EXPECT_EQ(names[static_cast<std::size_t>(DenseFeature::LogChars)], "log_chars");
  EXPECT_EQ(names[static_cast<std::size_t>(DenseFeature::LogSentences)], "log_sentences");
}

}  // namespace
}  // namespace sb::policies
