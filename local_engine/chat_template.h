#pragma once
// Chat templates: turning a conversation into the prompt text a model was trained on.
//
// Like the reference engine, templates are not interpreted as Jinja. A GGUF's
// `tokenizer.chat_template` text is recognised as one of the built-in families by
// marker substrings (see chat_template_detect.cpp), and that family's built-in formatter
// renders the messages. The rendered text carries no BOS; tokenize it with add_special
// so the vocabulary adds BOS as it asks, and parse_special so the markers become tokens.
//
// Built-in names: chatml, phi4, smolvlm, mistral-v1, mistral-v3, mistral-v3-tekken,
// mistral-v7, mistral-v7-tekken, llama2, llama2-sys, llama2-sys-bos, llama2-sys-strip,
// phi3, falcon3, zephyr, gemma, orion, openchat, vicuna, vicuna-orca, deepseek,
// deepseek2, deepseek3, command-r, llama3, llama4, chatglm3, chatglm4, glmedge, minicpm,
// exaone3, granite, megrez.
//
// Roles: system, user, assistant, and tool (a tool result). Families without a tool turn
// render a tool result as the turn their own models read tool output from (ipython for
// llama3/llama4, observation for chatglm, a user turn otherwise).
#include <string>
#include <string_view>
#include <vector>

namespace sb::engine {

class GgufFile;
struct ChatFamily;

struct ChatMessage {
  std::string role;
  std::string content;
};

class ChatTemplate {
 public:
  // A built-in formatter by name; throws std::invalid_argument listing the known names.
  static ChatTemplate from_name(std::string_view name);
  // The family of a Jinja template text (a bare built-in name is accepted too); throws
  // std::invalid_argument("unrecognised chat template ...") when no family matches.
  static ChatTemplate detect(std::string_view jinja_text);
  // configured == "auto": detect(tokenizer.chat_template of the file); otherwise
  // from_name(configured). Errors name the model file.
  static ChatTemplate for_model(const GgufFile& file, std::string_view configured);

  const std::string& name() const { return name_; }
  // The prompt text for `messages`; add_generation_prompt appends the opening of an
  // assistant turn (families whose format has none add nothing).
  std::string apply(const std::vector<ChatMessage>& messages, bool add_generation_prompt) const;
  // Text that ends an assistant turn in this family ("<|im_end|>", "<|eot_id|>", ...):
  // extra stop strings for when the model's end-of-turn token is not EOS/EOT.
  const std::vector<std::string>& stop_strings() const { return stop_strings_; }

 private:
  explicit ChatTemplate(const ChatFamily& family);

  const ChatFamily* family_;
  std::string name_;
  std::vector<std::string> stop_strings_;
};

}  // namespace sb::engine
