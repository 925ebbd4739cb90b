#pragma once
// Chat requests for tests, in the neutral shape the providers translate.
#include <optional>
#include <string>

#include "core/chat.h"

namespace sb::test {

// A request for `model`: the system prompt (when not empty), then one user message.
inline ChatRequest text_request(std::string model, const std::string& user_text, const std::string& system_text = "",
                                bool stream = false, std::optional<int64_t> max_tokens = std::nullopt) {
  ChatRequest r;
  r.model = std::move(model);
  if (!system_text.empty()) r.messages.push_back({Role::System, {{ContentPart::Kind::Text, system_text, {}, {}}}, {}, {}, {}});
  r.messages.push_back({Role::User, {{ContentPart::Kind::Text, user_text, {}, {}}}, {}, {}, {}});
  r.stream = stream;
  r.max_tokens = max_tokens;
  return r;
}

}  // namespace sb::test
