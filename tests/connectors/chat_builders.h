#pragma once
// Building chat messages in connector tests.
#include <string>
#include <utility>
#include <vector>

#include "core/chat.h"

namespace sb::test {

inline ContentPart text(const std::string& t) { return {ContentPart::Kind::Text, t, {}, {}}; }

inline Message message(Role role, std::vector<ContentPart> content) {
  Message m;
  m.role = role;
  m.content = std::move(content);
  return m;
}

// A tool's answer to the call `id`.
inline Message tool_result(const std::string& id, const std::string& content) {
  Message m = message(Role::Tool, {text(content)});
  m.tool_call_id = id;
  return m;
}

}  // namespace sb::test
