#include "local_engine/chat_template.h"

#include <stdexcept>

#include "local_engine/chat_template_family.h"
#include "local_engine/gguf.h"

namespace sb::engine {
namespace {

constexpr std::string_view kTemplateKey = "tokenizer.chat_template";

std::string known_names() {
  std::string out;
  for (const ChatFamily& family : chat_families()) {
    if (!out.empty()) out += ", ";
    out += family.name;
  }
  return out;
}

}  // namespace

ChatTemplate::ChatTemplate(const ChatFamily& family)
    : family_(&family), name_(family.name), stop_strings_(family.stop_strings) {}

ChatTemplate ChatTemplate::from_name(std::string_view name) {
  if (const ChatFamily* family = find_chat_family(name)) return ChatTemplate(*family);
  throw std::invalid_argument("unknown chat template name '" + std::string(name) +
                              "'; known names: " + known_names());
}

ChatTemplate ChatTemplate::detect(std::string_view jinja_text) {
  if (const ChatFamily* family = find_chat_family(jinja_text)) return ChatTemplate(*family);
  const std::string_view name = detect_chat_family_name(jinja_text);
  if (name.empty())
    throw std::invalid_argument(
        "unrecognised chat template (no built-in family's markers found); name one of: " +
        known_names());
  return from_name(name);
}

ChatTemplate ChatTemplate::for_model(const GgufFile& file, std::string_view configured) {
  const std::string model = file.path().string();
  try {
    if (configured != "auto") return from_name(configured);
    if (file.find(kTemplateKey) == nullptr)
      throw std::invalid_argument("has no " + std::string(kTemplateKey));
    return detect(file.get_string(kTemplateKey));
  } catch (const std::invalid_argument& e) {
    const std::string hint = configured == "auto" ? " (set chat_template to a built-in name)" : "";
    throw std::invalid_argument(model + ": " + e.what() + hint);
  }
}

std::string ChatTemplate::apply(const std::vector<ChatMessage>& messages,
                                bool add_generation_prompt) const {
  return family_->format(messages, add_generation_prompt);
}

}  // namespace sb::engine
