#include <gtest/gtest.h>

#include "local_engine/stop_strings.h"

namespace sb::engine {
namespace {

TEST(StopStringMatcher, ReleasesTextThatCannotStartAStopString) {
  StopStringMatcher m({"END"});
  EXPECT_EQ(m.push("hello "), "hello ");
  EXPECT_EQ(m.push("wE"), "w");  // "E" may begin "END"
  EXPECT_EQ(m.push("x"), "Ex");  // resolved: not a stop
  EXPECT_FALSE(m.stopped());
  EXPECT_EQ(m.flush(), "");
}

TEST(StopStringMatcher, FindsAStopStringSpanningSeveralPieces) {
  StopStringMatcher m({"\n\nUser:"});
  EXPECT_EQ(m.push("Sure.\n"), "Sure.");
  EXPECT_EQ(m.push("\nUs"), "");
  EXPECT_EQ(m.push("er: more"), "");
  EXPECT_TRUE(m.stopped());
  EXPECT_EQ(m.push("ignored"), "");
  EXPECT_EQ(m.flush(), "");
}

TEST(StopStringMatcher, EarliestOfSeveralStopStringsWins) {
  StopStringMatcher m({"cd", "b"});
  EXPECT_EQ(m.push("abcd"), "a");
  EXPECT_TRUE(m.stopped());
}

TEST(StopStringMatcher, FlushReturnsHeldBackPrefixAtEndOfStream) {
  StopStringMatcher m({"STOP", ""});
  EXPECT_EQ(m.push("go ST"), "go ");
  EXPECT_EQ(m.flush(), "ST");
}

TEST(StopStringMatcher, NoStopStringsPassesEverythingThrough) {
  StopStringMatcher m({});
  EXPECT_EQ(m.push("abc"), "abc");
  EXPECT_FALSE(m.stopped());
}

}  // namespace
}  // namespace sb::engine
