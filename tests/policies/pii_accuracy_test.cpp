// Accuracy of the privacy scanner on ../shared/policy/pii_public.jsonl: precision and recall
// per finding type and overall (exact type and span, in code points), printed as a table.
// The targets: recall >= 0.99 and precision >= 0.97 overall, and no prompt without entities
// (the hard negatives: bad checksums, ISBNs, UUIDs, SHAs, versions, dates, ...) flagged.
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "policies/privacy/privacy_scanner.h"
#include "tests/support/paths.h"

namespace sb::policies {
namespace {

using Span = std::tuple<std::string, size_t, size_t>;  // type, start, end (code points)

struct Counts {
  int true_positive = 0, false_positive = 0, false_negative = 0;
  double precision() const {
    return true_positive + false_positive == 0 ? 1.0 : double(true_positive) / (true_positive + false_positive);
  }
  double recall() const {
    return true_positive + false_negative == 0 ? 1.0 : double(true_positive) / (true_positive + false_negative);
  }
};

TEST(PiiAccuracyTest, MeetsTargetsOnPublicSet) {
  std::ifstream in(sb::test::shared_dir() / "policy" / "pii_public.jsonl");
  ASSERT_TRUE(in) << "missing " << (sb::test::shared_dir() / "policy" / "pii_public.jsonl");
  const PrivacyScanner scanner{config::PrivacyConfig{}};
  std::map<std::string, Counts> per_type;
  Counts overall;
  int prompts = 0, negatives = 0, negatives_flagged = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const nlohmann::json row = nlohmann::json::parse(line);
    const std::string text = row.at("text");
    std::set<Span> expected, found;
    for (const auto& e : row.at("entities")) expected.emplace(e.at("type"), e.at("start"), e.at("end"));
    for (const Finding& f : scanner.scan(text))
      found.emplace(f.type, codepoint_offset(text, f.start), codepoint_offset(text, f.end));
    ++prompts;
    if (expected.empty()) {
      ++negatives;
      if (!found.empty()) {
        ++negatives_flagged;
        ADD_FAILURE() << "hard negative flagged: " << text;
      }
    }
    for (const Span& s : found) {
      const bool hit = expected.contains(s);
      (hit ? per_type[std::get<0>(s)].true_positive : per_type[std::get<0>(s)].false_positive)++;
      (hit ? overall.true_positive : overall.false_positive)++;
      if (!hit) std::printf("  false positive %s [%zu,%zu) in: %s\n", std::get<0>(s).c_str(), std::get<1>(s), std::get<2>(s), text.c_str());
    }
    for (const Span& s : expected) {
      if (found.contains(s)) continue;
      per_type[std::get<0>(s)].false_negative++;
      overall.false_negative++;
      std::printf("  missed %s [%zu,%zu) in: %s\n", std::get<0>(s).c_str(), std::get<1>(s), std::get<2>(s), text.c_str());
    }
  }
  std::printf("%-22s %6s %6s %6s %9s %9s\n", "type", "tp", "fp", "fn", "precision", "recall");
  for (const auto& [type, c] : per_type)
    std::printf("%-22s %6d %6d %6d %9.4f %9.4f\n", type.c_str(), c.true_positive, c.false_positive, c.false_negative,
                c.precision(), c.recall());
  std::printf("%-22s %6d %6d %6d %9.4f %9.4f\n", "OVERALL", overall.true_positive, overall.false_positive,
              overall.false_negative, overall.precision(), overall.recall());
  std::printf("prompts %d, without entities %d, of those flagged %d\n", prompts, negatives, negatives_flagged);

  EXPECT_GT(prompts, 0);
  EXPECT_GE(overall.recall(), 0.99);
  EXPECT_GE(overall.precision(), 0.97);
  EXPECT_EQ(negatives_flagged, 0);
}

}  // namespace
}  // namespace sb::policies
