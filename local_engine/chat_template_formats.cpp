// The built-in chat formatters. Most families are a TurnFormat: each message becomes
// prefix + content + suffix chosen by its role ("{role}" in a prefix is replaced by the
// role's name). A few families need their own function: llama2 and the older Mistral
// formats wrap a user turn and its system text in one [INST] block, and gemma and orion
// have no system turn, so the system text is merged into the next user turn.
#include <algorithm>
#include <cctype>

#include "local_engine/chat_template_family.h"

namespace sb::engine {
namespace {

std::string trim(std::string_view s) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

struct Turn {
  std::string_view prefix = {};  // "{role}" is replaced by the role name
  std::string_view suffix = {};
};

struct TurnFormat {
  Turn system = {}, user = {}, assistant = {}, tool = {};
  std::string_view tool_role = "tool";  // what "{role}" says for a tool message
  std::string_view preamble = {};       // once, before the first message
  std::string_view generation_prompt = {};
  bool trim_content = false;
};

// A format whose turns differ only by the role name.
TurnFormat same_turns(Turn turn, std::string_view generation_prompt, bool trim_content = false) {
  return {.system = turn,
          .user = turn,
          .assistant = turn,
          .tool = turn,
          .generation_prompt = generation_prompt,
          .trim_content = trim_content};
}

std::string replace_role(std::string_view text, std::string_view role) {
  constexpr std::string_view kPlaceholder = "{role}";
  std::string out(text);
  if (const size_t at = out.find(kPlaceholder); at != std::string::npos)
    out.replace(at, kPlaceholder.size(), role);
  return out;
}

std::string render_turns(const TurnFormat& f, const std::vector<ChatMessage>& messages,
                         bool add_generation_prompt) {
  std::string out(f.preamble);
  for (const ChatMessage& m : messages) {
    const bool is_tool = m.role == "tool";
    const Turn& turn = m.role == "system"      ? f.system
                       : m.role == "assistant" ? f.assistant
                       : is_tool               ? f.tool
                                               : f.user;
    out += replace_role(turn.prefix, is_tool ? f.tool_role : std::string_view(m.role));
    out += f.trim_content ? trim(m.content) : m.content;
    out += turn.suffix;
  }
  if (add_generation_prompt) out += f.generation_prompt;
  return out;
}

ChatFormatter turns(TurnFormat format) {
  return [format](const std::vector<ChatMessage>& messages, bool add_generation_prompt) {
    return render_turns(format, messages, add_generation_prompt);
  };
}

// llama2: "[INST] {system}\n{user} [/INST]{assistant}</s>[INST] ..." — the system text
// opens the first [INST] block (inside <<SYS>> tags for the -sys variants).
struct Llama2Style {
  bool system_tags = false;          // <<SYS>>\n...\n<</SYS>>\n\n
  bool bos_between_turns = false;    // "<s>" before every [INST] but the first
  bool strip_content = false;
};

std::string render_llama2(const Llama2Style& style, const std::vector<ChatMessage>& messages) {
  std::string out = "[INST] ";
  bool inside_turn = true;
  for (const ChatMessage& m : messages) {
    const std::string content = style.strip_content ? trim(m.content) : m.content;
    if (!inside_turn) {
      out += style.bos_between_turns ? "<s>[INST] " : "[INST] ";
      inside_turn = true;
    }
    if (m.role == "system") {
      out += style.system_tags ? "<<SYS>>\n" + content + "\n<</SYS>>\n\n" : content + "\n";
    } else if (m.role == "assistant") {
      out += content + "</s>";
      inside_turn = false;
    } else {
      out += content + " [/INST]";
    }
  }
  return out;
}

// Mistral v1 / v3 / v3-tekken: system text and the user message share one [INST] block.
struct MistralStyle {
  std::string_view before_inst;  // " " for v1
  std::string_view after_inst;   // "" for v3-tekken
  bool trim_assistant = false;   // v3
};

std::string render_mistral(const MistralStyle& style, const std::vector<ChatMessage>& messages) {
  std::string out;
  bool inside_turn = false;
  for (const ChatMessage& m : messages) {
    if (!inside_turn) {
      out.append(style.before_inst).append("[INST]").append(style.after_inst);
      inside_turn = true;
    }
    if (m.role == "system") {
      out += m.content + "\n\n";
    } else if (m.role == "assistant") {
      out.append(style.after_inst);
      out += (style.trim_assistant ? trim(m.content) : m.content) + "</s>";
      inside_turn = false;
    } else {
      out.append(m.content).append(style.before_inst).append("[/INST]");
    }
  }
  return out;
}

// Gemma: user/model turns only; system text is prepended to the next user turn.
std::string render_gemma(const std::vector<ChatMessage>& messages, bool add_generation_prompt) {
  std::string out, pending_system;
  for (const ChatMessage& m : messages) {
    if (m.role == "system") {
      pending_system += trim(m.content);
      continue;
    }
    const bool model_turn = m.role == "assistant";
    out += std::string("<start_of_turn>") + (model_turn ? "model" : "user") + "\n";
    if (!model_turn && !pending_system.empty()) {
      out += pending_system + "\n\n";
      pending_system.clear();
    }
    out += trim(m.content) + "<end_of_turn>\n";
  }
  if (add_generation_prompt) out += "<start_of_turn>model\n";
  return out;
}

// Orion: "Human: {system}\n\n{user}\n\nAssistant: </s>{assistant}</s>".
std::string render_orion(const std::vector<ChatMessage>& messages, bool) {
  std::string out, pending_system;
  for (const ChatMessage& m : messages) {
    if (m.role == "system") {
      pending_system += m.content;
    } else if (m.role == "assistant") {
      out += m.content + "</s>";
    } else {
      out += "Human: ";
      if (!pending_system.empty()) out += pending_system + "\n\n";
      pending_system.clear();
      out += m.content + "\n\nAssistant: </s>";
    }
  }
  return out;
}

ChatFormatter llama2(Llama2Style style) {
  return [style](const std::vector<ChatMessage>& messages, bool) { return render_llama2(style, messages); };
}

ChatFormatter mistral(MistralStyle style) {
  return [style](const std::vector<ChatMessage>& messages, bool) { return render_mistral(style, messages); };
}

// Mistral v7: the -tekken variant has no space after the markers.
TurnFormat mistral_v7(bool spaced) {
  return {.system = {spaced ? "[SYSTEM_PROMPT] " : "[SYSTEM_PROMPT]", "[/SYSTEM_PROMPT]"},
          .user = {spaced ? "[INST] " : "[INST]", "[/INST]"},
          .assistant = {spaced ? " " : "", "</s>"},
          .tool = {spaced ? "[TOOL_RESULTS] " : "[TOOL_RESULTS]", "[/TOOL_RESULTS]"}};
}

std::vector<ChatFamily> build_families() {
  const Turn chatml{"<|im_start|>{role}\n", "<|im_end|>\n"};
  const Turn pipe_role{"<|{role}|>\n", ""};
  const std::string deepseek_end = "<｜end▁of▁sentence｜>";
  TurnFormat phi3 = same_turns({"<|{role}|>\n", "<|end|>\n"}, "<|assistant|>\n");
  TurnFormat zephyr = same_turns({"<|{role}|>\n", "<|endoftext|>\n"}, "<|assistant|>\n");
  TurnFormat falcon3 = same_turns({"<|{role}|>\n", "\n"}, "<|assistant|>\n");
  TurnFormat llama3 = same_turns({"<|start_header_id|>{role}<|end_header_id|>\n\n", "<|eot_id|>"},
                                 "<|start_header_id|>assistant<|end_header_id|>\n\n", true);
  llama3.tool_role = "ipython";
  TurnFormat llama4 = same_turns({"<|header_start|>{role}<|header_end|>\n\n", "<|eot|>"},
                                 "<|header_start|>assistant<|header_end|>\n\n", true);
  llama4.tool_role = "ipython";
  TurnFormat chatglm3 = same_turns({"<|{role}|>\n ", ""}, "<|assistant|>");
  chatglm3.preamble = "[gMASK]sop";
  chatglm3.tool_role = "observation";
  TurnFormat chatglm4 = same_turns(pipe_role, "<|assistant|>\n");
  chatglm4.preamble = "[gMASK]<sop>";
  chatglm4.tool_role = "observation";
  TurnFormat glmedge = same_turns(pipe_role, "<|assistant|>");
  glmedge.tool_role = "observation";
  const Turn cohere_system{"<|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|>", "<|END_OF_TURN_TOKEN|>"};
  const Turn vicuna_user{"USER: ", "\n"};
  const Turn deepseek_user{"### Instruction:\n", "\n"};
  const Turn deepseek2_user{"User: ", "\n\n"};
  const Turn exaone_user{"[|user|]", "\n"};

  return {
      {"chatml", turns(same_turns(chatml, "<|im_start|>assistant\n")), {"<|im_end|>"}},
      {"phi4",
       turns(same_turns({"<|im_start|>{role}<|im_sep|>", "<|im_end|>"}, "<|im_start|>assistant<|im_sep|>")),
       {"<|im_end|>"}},
      {"smolvlm",
       turns({.system = {"", "\n\n"},
              .user = {"User: ", "<end_of_utterance>\n"},
              .assistant = {"Assistant: ", "<end_of_utterance>\n"},
              .tool = {"User: ", "<end_of_utterance>\n"},
              .preamble = "<|im_start|>",
              .generation_prompt = "Assistant:"}),
       {"<end_of_utterance>"}},
      {"mistral-v1", mistral({.before_inst = " ", .after_inst = " "}), {"</s>"}},
      {"mistral-v3", mistral({.before_inst = "", .after_inst = " ", .trim_assistant = true}), {"</s>"}},
      {"mistral-v3-tekken", mistral({.before_inst = "", .after_inst = ""}), {"</s>"}},
      {"mistral-v7", turns(mistral_v7(true)), {"</s>"}},
      {"mistral-v7-tekken", turns(mistral_v7(false)), {"</s>"}},
      {"llama2", llama2({}), {"</s>"}},
      {"llama2-sys", llama2({.system_tags = true}), {"</s>"}},
      {"llama2-sys-bos", llama2({.system_tags = true, .bos_between_turns = true}), {"</s>"}},
      {"llama2-sys-strip", llama2({.system_tags = true, .strip_content = true}), {"</s>"}},
      {"phi3", turns(phi3), {"<|end|>"}},
      {"falcon3", turns(falcon3), {"<|user|>", "<|endoftext|>"}},
      {"zephyr", turns(zephyr), {"<|endoftext|>"}},
      {"gemma", render_gemma, {"<end_of_turn>"}},
      {"orion", render_orion, {"</s>"}},
      {"openchat",
       turns({.system = {"", "<|end_of_turn|>"},
              .user = {"GPT4 Correct User: ", "<|end_of_turn|>"},
              .assistant = {"GPT4 Correct Assistant: ", "<|end_of_turn|>"},
              .tool = {"GPT4 Correct User: ", "<|end_of_turn|>"},
              .generation_prompt = "GPT4 Correct Assistant:"}),
       {"<|end_of_turn|>"}},
      {"vicuna",
       turns({.system = {"", "\n\n"},
              .user = vicuna_user,
              .assistant = {"ASSISTANT: ", "</s>\n"},
              .tool = vicuna_user,
              .generation_prompt = "ASSISTANT:"}),
       {"</s>", "\nUSER:"}},
      {"vicuna-orca",
       turns({.system = {"SYSTEM: ", "\n"},
              .user = vicuna_user,
              .assistant = {"ASSISTANT: ", "</s>\n"},
              .tool = vicuna_user,
              .generation_prompt = "ASSISTANT:"}),
       {"</s>", "\nUSER:"}},
      {"deepseek",
       turns({.system = {"", ""},
              .user = deepseek_user,
              .assistant = {"### Response:\n", "\n<|EOT|>\n"},
              .tool = deepseek_user,
              .generation_prompt = "### Response:\n"}),
       {"<|EOT|>"}},
      {"deepseek2",
       turns({.system = {"", "\n\n"},
              .user = deepseek2_user,
              .assistant = {"Assistant: ", "<｜end▁of▁sentence｜>"},
              .tool = deepseek2_user,
              .generation_prompt = "Assistant:"}),
       {deepseek_end}},
      {"deepseek3",
       turns({.system = {"", "\n\n"},
              .user = {"<｜User｜>", ""},
              .assistant = {"<｜Assistant｜>", "<｜end▁of▁sentence｜>"},
              .tool = {"<｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>",
                       "<｜tool▁output▁end｜><｜tool▁outputs▁end｜>"},
              .generation_prompt = "<｜Assistant｜>"}),
       {deepseek_end}},
      {"command-r",
       turns({.system = cohere_system,
              .user = {"<|START_OF_TURN_TOKEN|><|USER_TOKEN|>", "<|END_OF_TURN_TOKEN|>"},
              .assistant = {"<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>", "<|END_OF_TURN_TOKEN|>"},
              .tool = cohere_system,  // Cohere models read tool results from a system turn
              .generation_prompt = "<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>",
              .trim_content = true}),
       {"<|END_OF_TURN_TOKEN|>"}},
      {"llama3", turns(llama3), {"<|eot_id|>", "<|eom_id|>"}},
      {"llama4", turns(llama4), {"<|eot|>"}},
      {"chatglm3", turns(chatglm3), {"<|user|>", "<|observation|>"}},
      {"chatglm4", turns(chatglm4), {"<|user|>", "<|observation|>"}},
      {"glmedge", turns(glmedge), {"<|user|>", "<|observation|>"}},
      {"minicpm",
       turns({.system = {"", ""},
              .user = {"<用户>", "<AI>"},
              .assistant = {"", ""},
              .tool = {"<用户>", "<AI>"},
              .trim_content = true}),
       {"<用户>"}},
      {"exaone3",
       turns({.system = {"[|system|]", "[|endofturn|]\n"},
              .user = exaone_user,
              .assistant = {"[|assistant|]", "[|endofturn|]\n"},
              .tool = exaone_user,
              .generation_prompt = "[|assistant|]",
              .trim_content = true}),
       {"[|endofturn|]"}},
      {"granite",
       turns(same_turns({"<|start_of_role|>{role}<|end_of_role|>", "<|end_of_text|>\n"},
                        "<|start_of_role|>assistant<|end_of_role|>\n")),
       {"<|end_of_text|>"}},
      {"megrez",
       turns(same_turns({"<|role_start|>{role}<|role_end|>", "<|turn_end|>"},
                        "<|role_start|>assistant<|role_end|>")),
       {"<|turn_end|>"}},
  };
}

}  // namespace

const std::vector<ChatFamily>& chat_families() {
  static const std::vector<ChatFamily> families = build_families();
  return families;
}

const ChatFamily* find_chat_family(std::string_view name) {
  const auto& all = chat_families();
  const auto it = std::find_if(all.begin(), all.end(), [&](const ChatFamily& f) { return f.name == name; });
  return it == all.end() ? nullptr : &*it;
}

}  // namespace sb::engine
