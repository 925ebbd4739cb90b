#pragma once
// Incremental parser for text/event-stream (the WHATWG EventSource format): feed bytes as
// they arrive, in pieces of any size; complete events come out through the callback.
#include <functional>
#include <string>
#include <string_view>

namespace sb::connectors {

struct SseEvent {
  std::string event;  // "" when the stream named none ("message" by default)
  std::string data;   // data: lines joined by '\n'
  std::string id;
};

class SseParser {
 public:
  // Return false from the callback to stop parsing (feed() then returns false too).
  using EventCallback = std::function<bool(const SseEvent&)>;
  explicit SseParser(EventCallback on_event) : on_event_(std::move(on_event)) {}

  bool feed(std::string_view bytes);

 private:
  bool take_line(std::string_view line);
  EventCallback on_event_;
  std::string line_;  // bytes of the current, not yet terminated line
  bool last_was_cr_ = false;
  SseEvent current_;
  bool has_fields_ = false;
  bool has_data_ = false;
};

}  // namespace sb::connectors
