#include "connectors/sse_parser.h"

#include <gtest/gtest.h>

#include <vector>

namespace sb::connectors {
namespace {

std::vector<SseEvent> parse_in_pieces(const std::string& stream, size_t piece) {
  std::vector<SseEvent> events;
  SseParser parser([&](const SseEvent& e) {
    events.push_back(e);
    return true;
  });
  for (size_t i = 0; i < stream.size(); i += piece) parser.feed(std::string_view(stream).substr(i, piece));
  return events;
}

TEST(SseParser, SplitsEventsWhateverTheChunking) {
  const std::string stream =
      ": keep-alive\n\nevent: message_start\ndata: {\"a\":1}\n\ndata: first\ndata: second\n\nid: 7\ndata:x\r\n\r\n";
  for (size_t piece : {1u, 2u, 3u, 7u, 1000u}) {
    auto events = parse_in_pieces(stream, piece);
    ASSERT_EQ(events.size(), 3u) << "piece " << piece;
    EXPECT_EQ(events[0].event, "message_start");
    EXPECT_EQ(events[0].data, "{\"a\":1}");
    EXPECT_EQ(events[1].data, "first\nsecond");
    EXPECT_EQ(events[1].event, "");
    EXPECT_EQ(events[2].id, "7");
    EXPECT_EQ(events[2].data, "x");
  }
}

TEST(SseParser, KeepsEmptyDataLinesAndHoldsBackAnUnfinishedEvent) {
  std::vector<SseEvent> events;
  SseParser parser([&](const SseEvent& e) {
    events.push_back(e);
    return true;
  });
  parser.feed("data:\ndata: b\n\ndata: cut");
  ASSERT_EQ(events.size(), 1u);  // "cut" has no blank line after it: not an event yet
  EXPECT_EQ(events[0].data, "\nb");
}

TEST(SseParser, StopsWhenTheCallbackSaysSo) {
  int seen = 0;
  SseParser parser([&](const SseEvent&) { return ++seen < 2; });
  EXPECT_FALSE(parser.feed("data: 1\n\ndata: 2\n\ndata: 3\n\n"));
  EXPECT_EQ(seen, 2);
}

}  // namespace
}  // namespace sb::connectors
