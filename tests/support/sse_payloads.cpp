#include "tests/support/sse_payloads.h"

namespace sb::test {

std::vector<connectors::SseEvent> sse_events(const std::string& body) {
  std::vector<connectors::SseEvent> out;
  connectors::SseParser parser([&](const connectors::SseEvent& e) {
    out.push_back(e);
    return true;
  });
  parser.feed(body);
  return out;
}

std::vector<std::string> sse_data(const std::string& body) {
  std::vector<std::string> out;
  for (auto& e : sse_events(body)) out.push_back(std::move(e.data));
  return out;
}

std::vector<nlohmann::json> sse_json(const std::string& body) {
  std::vector<nlohmann::json> out;
  for (const auto& data : sse_data(body))
    if (data != "[DONE]") out.push_back(nlohmann::json::parse(data));
  return out;
}

}  // namespace sb::test
