#pragma once
// Internal to chat_template*.cpp: the built-in chat families and their recognition.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "local_engine/chat_template.h"

namespace sb::engine {

using ChatFormatter =
    std::function<std::string(const std::vector<ChatMessage>& messages, bool add_generation_prompt)>;

struct ChatFamily {
  std::string name;
  ChatFormatter format;
  std::vector<std::string> stop_strings;
};

// Every built-in family, in a fixed order (built once, immutable).
const std::vector<ChatFamily>& chat_families();
// nullptr when `name` is not a built-in family.
const ChatFamily* find_chat_family(std::string_view name);
// The family name whose markers `jinja_text` contains; "" when none does.
std::string_view detect_chat_family_name(std::string_view jinja_text);

}  // namespace sb::engine
