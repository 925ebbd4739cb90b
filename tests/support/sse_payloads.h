#pragma once
// Reading a whole text/event-stream response body in tests.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "connectors/sse_parser.h"

namespace sb::test {

// Every event of `body`, in order.
std::vector<connectors::SseEvent> sse_events(const std::string& body);
// The `data:` payload of every event, "[DONE]" included.
std::vector<std::string> sse_data(const std::string& body);
// The `data:` payloads parsed as JSON, "[DONE]" left out.
std::vector<nlohmann::json> sse_json(const std::string& body);

}  // namespace sb::test
