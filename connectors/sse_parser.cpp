#include "connectors/sse_parser.h"

namespace sb::connectors {

bool SseParser::feed(std::string_view bytes) {
  for (char c : bytes) {
    if (last_was_cr_ && c == '\n') {  // CRLF: the CR already ended the line
      last_was_cr_ = false;
      continue;
    }
    last_was_cr_ = (c == '\r');
    if (c == '\r' || c == '\n') {
      std::string line;
      line.swap(line_);
      if (!take_line(line)) return false;
    } else {
      line_.push_back(c);
    }
  }
  return true;
}

bool SseParser::take_line(std::string_view line) {
  if (line.empty()) {  // blank line dispatches the event
    if (!has_fields_) return true;
    SseEvent event;
    std::swap(event, current_);
    has_fields_ = has_data_ = false;
    return on_event_(event);
  }
  if (line.front() == ':') return true;  // comment / keep-alive
  auto colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) current_.data.push_back('\n');
    current_.data.append(value);
    has_data_ = has_fields_ = true;
  } else if (field == "event") {
    current_.event.assign(value);
    has_fields_ = true;
  } else if (field == "id") {
    current_.id.assign(value);
    has_fields_ = true;
  }  // "retry" and unknown fields are ignored, as the spec says
  return true;
}

}  // namespace sb::connectors
