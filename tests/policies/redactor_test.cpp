#include "policies/privacy/redactor.h"

#include <gtest/gtest.h>

#include "policies/privacy/privacy_scanner.h"

namespace sb::policies {
namespace {

TEST(RedactorTest, ReplacesFindingsWithStablePlaceholdersNumberedPerType) {
  const PrivacyScanner scanner{config::PrivacyConfig{}};
  Redactor redactor;
  const std::string first = "Mail ann@example.com and bob@example.com, call +44 20 7946 0958.";
  EXPECT_EQ(redactor.redact(first, scanner.scan(first)), "Mail <EMAIL_1> and <EMAIL_2>, call <PHONE_1>.");
  const std::string second = "Again: bob@example.com, then cat@example.com.";
  EXPECT_EQ(redactor.redact(second, scanner.scan(second)), "Again: <EMAIL_2>, then <EMAIL_3>.");
  EXPECT_EQ(redactor.mapping(), (std::map<std::string, std::string>{{"<EMAIL_1>", "ann@example.com"},
                                                                    {"<EMAIL_2>", "bob@example.com"},
                                                                    {"<EMAIL_3>", "cat@example.com"},
                                                                    {"<PHONE_1>", "+44 20 7946 0958"}}));
}

TEST(RedactorTest, LeavesTextWithoutFindingsAlone) {
  Redactor redactor;
  EXPECT_EQ(redactor.redact("nothing here", {}), "nothing here");
  EXPECT_TRUE(redactor.mapping().empty());
}

TEST(RedactorTest, IgnoresOverlappingAndOutOfRangeFindings) {
  Redactor redactor;
  const std::vector<Finding> findings = {{"B", 6, 9, "", ""}, {"A", 0, 4, "", ""}, {"A", 2, 5, "", ""},
                                         {"C", 8, 99, "", ""}, {"C", 5, 5, "", ""}};
  EXPECT_EQ(redactor.redact("abcdefghij", findings), "<A_1>ef<B_1>j");
}

}  // namespace
}  // namespace sb::policies
