#include "policies/privacy/restorer.h"

#include <gtest/gtest.h>

namespace sb::policies {
namespace {

const std::map<std::string, std::string> kMapping = {
    {"<EMAIL_1>", "ann@example.com"}, {"<EMAIL_10>", "joe@example.com"}, {"<PHONE_1>", "+44 20 7946 0958"}};

std::string restore_whole(std::string_view text) {
  Restorer restorer(kMapping);
  std::string out = restorer.feed(text);
  return out + restorer.finish();
}

TEST(RestorerTest, RestoresPlaceholdersInAWholeAnswer) {
  EXPECT_EQ(restore_whole("Write to <EMAIL_1> or <EMAIL_10>, call <PHONE_1>."),
            "Write to ann@example.com or joe@example.com, call +44 20 7946 0958.");
  EXPECT_EQ(restore_whole("<EMAIL_1><EMAIL_1>"), "ann@example.comann@example.com");
}

TEST(RestorerTest, PassesThroughWhatIsNotAKnownPlaceholder) {
  EXPECT_EQ(restore_whole("a < b, <EMAIL_2>, <b>bold</b>, <EMAIL_1, <<EMAIL_1>>"),
            "a < b, <EMAIL_2>, <b>bold</b>, <EMAIL_1, <ann@example.com>");
  Restorer empty({});
  EXPECT_EQ(empty.feed("<EMAIL_1> <"), "<EMAIL_1> <");
  EXPECT_EQ(empty.finish(), "");
}

TEST(RestorerTest, EmitsTextThatCannotStartAPlaceholderAtOnce) {
  Restorer restorer(kMapping);
  EXPECT_EQ(restorer.feed("x < y and <b"), "x < y and <b");
  EXPECT_EQ(restorer.feed("Hello <EM"), "Hello ");
  EXPECT_EQ(restorer.feed("AIL_1"), "");
  EXPECT_EQ(restorer.feed(">!"), "ann@example.com!");
  EXPECT_EQ(restorer.finish(), "");
}

TEST(RestorerTest, FlushesAnUnfinishedPlaceholderAtTheEnd) {
  Restorer restorer(kMapping);
  EXPECT_EQ(restorer.feed("see <EMAIL_"), "see ");
  EXPECT_EQ(restorer.finish(), "<EMAIL_");
}

// Every way to cut the answer into two or three chunks restores the same text.
TEST(RestorerTest, RestoresPlaceholdersSplitAtEverySplitPoint) {
  const std::string answer = "To <EMAIL_1>: ring <PHONE_1> or <EMAIL_10><EMAIL_1> <EMAIL_";
  const std::string expected = "To ann@example.com: ring +44 20 7946 0958 or joe@example.comann@example.com <EMAIL_";
  for (size_t i = 0; i <= answer.size(); ++i) {
    for (size_t j = i; j <= answer.size(); ++j) {
      Restorer restorer(kMapping);
      std::string out = restorer.feed(answer.substr(0, i));
      out += restorer.feed(answer.substr(i, j - i));
      out += restorer.feed(answer.substr(j));
      out += restorer.finish();
      ASSERT_EQ(out, expected) << "split at " << i << ", " << j;
    }
  }
}

TEST(RestorerTest, NeverEmitsABrokenPlaceholderWhenStreamedByteByByte) {
  const std::string answer = "A<EMAIL_1>B<PHONE_1>C";
  Restorer restorer(kMapping);
  std::string out;
  for (char c : answer) {
    const std::string piece = restorer.feed(std::string(1, c));
    EXPECT_EQ(piece.find('<'), std::string::npos) << "emitted a placeholder fragment: " << piece;
    out += piece;
  }
  out += restorer.finish();
  EXPECT_EQ(out, "Aann@example.comB+44 20 7946 0958C");
}

}  // namespace
}  // namespace sb::policies
