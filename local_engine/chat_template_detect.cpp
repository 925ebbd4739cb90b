// Recognising a chat family from its Jinja text, as the reference engine does: the first
// rule whose `all_of` marker substrings all occur (and, where given, one of `any_of`)
// names the family. Rule order matters: e.g. every template containing
// "<|im_start|>" is ChatML unless a more specific ChatML-based family matched first, and
// every "[INST]" template ends in the llama2 rule after the Mistral variants.
#include <algorithm>
#include <array>

#include "local_engine/chat_template_family.h"

namespace sb::engine {
namespace {

using Markers = std::array<std::string_view, 3>;  // empty entries are unused

struct DetectionRule {
  std::string_view family;
  Markers all_of;
  Markers any_of = {};  // all empty: no such condition
};

// Mistral's official templates: v1 concatenates "' [INST] ' + system_message"; v3 and
// v3-tekken mention tool definitions.
constexpr Markers kMistralOfficial = {"' [INST] ' + system_message", "[AVAILABLE_TOOLS]"};

constexpr std::array kRules = {
    DetectionRule{"phi4", {"<|im_start|>", "<|im_sep|>"}},
    DetectionRule{"smolvlm", {"<|im_start|>", "<end_of_utterance>"}},
    DetectionRule{"chatml", {"<|im_start|>"}},
    DetectionRule{"mistral-v7", {"[INST]", "[SYSTEM_PROMPT]"}},
    DetectionRule{"mistral-v1", {"[INST]", " [INST]"}, kMistralOfficial},
    DetectionRule{"mistral-v3-tekken", {"[INST]", "\"[INST]\""}, kMistralOfficial},
    DetectionRule{"mistral-v3", {"[INST]"}, kMistralOfficial},
    DetectionRule{"llama2-sys-strip", {"[INST]", "content.strip()"}},
    DetectionRule{"llama2-sys-bos", {"[INST]", "bos_token + '[INST]"}},
    DetectionRule{"llama2-sys", {"[INST]", "<<SYS>>"}},
    DetectionRule{"llama2", {"[INST]"}},
    DetectionRule{"phi3", {"<|assistant|>", "<|end|>"}},
    DetectionRule{"chatglm4", {"[gMASK]<sop>"}},
    DetectionRule{"falcon3", {"<|assistant|>", "<|user|>", "</s>"}},
    DetectionRule{"glmedge", {"<|assistant|>", "<|user|>"}},
    DetectionRule{"glmedge", {"<|{{ item['role'] }}|>", "<|begin_of_image|>"}},
    DetectionRule{"zephyr", {"<|user|>", "<|endoftext|>"}},
    DetectionRule{"gemma", {"<start_of_turn>"}},
    DetectionRule{"orion", {"'\\n\\nAssistant: ' + eos_token"}},
    DetectionRule{"openchat", {"GPT4 Correct "}},
    DetectionRule{"vicuna-orca", {"USER: ", "ASSISTANT: ", "SYSTEM: "}},
    DetectionRule{"vicuna", {"USER: ", "ASSISTANT: "}},
    DetectionRule{"deepseek", {"### Instruction:", "<|EOT|>"}},
    DetectionRule{"command-r", {"<|START_OF_TURN_TOKEN|>", "<|USER_TOKEN|>"}},
    DetectionRule{"llama3", {"<|start_header_id|>", "<|end_header_id|>"}},
    DetectionRule{"chatglm3", {"[gMASK]sop"}},
    DetectionRule{"minicpm", {"<用户>"}},
    DetectionRule{"deepseek2", {"'Assistant: ' + message['content'] + eos_token"}},
    DetectionRule{"deepseek3", {"<｜Assistant｜>", "<｜User｜>", "<｜end▁of▁sentence｜>"}},
    DetectionRule{"exaone3", {"[|system|]", "[|assistant|]", "[|endofturn|]"}},
    DetectionRule{"granite", {"<|start_of_role|>"}},
    DetectionRule{"megrez", {"<|role_start|>"}},
    DetectionRule{"llama4", {"<|header_start|>", "<|header_end|>"}},
};

bool matches(const DetectionRule& rule, std::string_view text) {
  const auto contains = [text](std::string_view marker) {
    return !marker.empty() && text.find(marker) != std::string_view::npos;
  };
  const auto unused = [](std::string_view marker) { return marker.empty(); };
  const bool all = std::all_of(rule.all_of.begin(), rule.all_of.end(),
                               [&](std::string_view m) { return unused(m) || contains(m); });
  const bool any = std::all_of(rule.any_of.begin(), rule.any_of.end(), unused) ||
                   std::any_of(rule.any_of.begin(), rule.any_of.end(), contains);
  return all && any;
}

}  // namespace

std::string_view detect_chat_family_name(std::string_view jinja_text) {
  for (const DetectionRule& rule : kRules)
    if (matches(rule, jinja_text)) return rule.family;
  return {};
}

}  // namespace sb::engine
