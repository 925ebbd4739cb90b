#include "core/chat.h"

namespace sb {

const char* to_string(Role role) {
  switch (role) {
    case Role::System: return "system";
    case Role::User: return "user";
    case Role::Assistant: return "assistant";
    case Role::Tool: return "tool";
  }
  return "user";
}

std::optional<Role> role_from_string(std::string_view s) {
  if (s == "system" || s == "developer") return Role::System;
  if (s == "user") return Role::User;
  if (s == "assistant") return Role::Assistant;
  if (s == "tool") return Role::Tool;
  return std::nullopt;
}

std::string_view Message::text_view(std::string& storage) const {
  if (content.size() == 1 && content[0].kind == ContentPart::Kind::Text) return content[0].text;
  storage = text();
  return storage;
}

std::string Message::text() const {
  std::string out;
  for (const auto& part : content)
    if (part.kind == ContentPart::Kind::Text) out += part.text;
  return out;
}

}  // namespace sb
