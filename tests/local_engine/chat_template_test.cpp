// Chat templates against the reference renders of ../shared/golden/chat_templates.jsonl,
// plus name errors, detection failures and the GGUF template key.
#include "local_engine/chat_template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "local_engine/gguf.h"
#include "local_engine/gguf_writer.h"
#include "tests/support/paths.h"

namespace sb::engine {
namespace {

using ::testing::HasSubstr;

// The conversation every golden render was made from.
const std::vector<ChatMessage> kConversation = {
    {"system", "You are a helpful assistant."},
    {"user", "Hello! What is 2+2?"},
    {"assistant", "2+2 is 4."},
    {"user", "And 3*3?"},
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<nlohmann::json> golden_lines() {
  std::ifstream in(test::shared_dir() / "golden" / "chat_templates.jsonl");
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

// A template entry is a file of ../shared/templates when it ends in .jinja, else a name.
ChatTemplate template_of(const std::string& entry) {
  if (entry.ends_with(".jinja")) return ChatTemplate::detect(read_file(test::shared_dir() / "templates" / entry));
  return ChatTemplate::from_name(entry);
}

TEST(ChatTemplateGolden, EveryReferenceRenderIsReproduced) {
  const auto lines = golden_lines();
  ASSERT_GE(lines.size(), 25u);
  int checked = 0;
  for (const auto& line : lines) {
    const std::string entry = line["template"];
    SCOPED_TRACE(entry);
    if (!line["ok"].get<bool>()) {
      EXPECT_THROW(template_of(entry), std::invalid_argument);
      continue;
    }
    EXPECT_EQ(template_of(entry).apply(kConversation, true), line["rendered"].get<std::string>());
    ++checked;
  }
  EXPECT_GE(checked, 25);
}

TEST(ChatTemplateGolden, EveryTemplateFileIsCoveredByTheGoldenFile) {
  std::set<std::string> golden;
  for (const auto& line : golden_lines()) golden.insert(line["template"].get<std::string>());
  for (const auto& file : std::filesystem::directory_iterator(test::shared_dir() / "templates"))
    EXPECT_TRUE(golden.count(file.path().filename().string())) << file.path();
}

TEST(ChatTemplateDetect, NamesTheFamilyOfRealTemplates) {
  const auto family_of = [](const char* file) {
    return ChatTemplate::detect(read_file(test::shared_dir() / "templates" / file)).name();
  };
  EXPECT_EQ(family_of("Qwen-Qwen2.5-7B-Instruct.jinja"), "chatml");
  EXPECT_EQ(family_of("meta-llama-Llama-3.1-8B-Instruct.jinja"), "llama3");
  EXPECT_EQ(family_of("mistralai-Mistral-Nemo-Instruct-2407.jinja"), "mistral-v3-tekken");
  EXPECT_EQ(family_of("google-gemma-2-2b-it.jinja"), "gemma");
  EXPECT_EQ(family_of("microsoft-Phi-3.5-mini-instruct.jinja"), "phi3");
  EXPECT_EQ(family_of("CohereForAI-c4ai-command-r-plus-tool_use.jinja"), "command-r");
  EXPECT_EQ(family_of("llama-cpp-deepseek-r1.jinja"), "deepseek3");
}

TEST(ChatTemplateDetect, RecognisesFamiliesByTheirMarkers) {
  EXPECT_EQ(ChatTemplate::detect("{{ '<|im_start|>' + m + '<|im_sep|>' }}").name(), "phi4");
  EXPECT_EQ(ChatTemplate::detect("{{ bos_token + '[INST] ' + content.strip() }}").name(), "llama2-sys-strip");
  EXPECT_EQ(ChatTemplate::detect("{{ '<<SYS>>\\n' }}[INST]").name(), "llama2-sys");
  EXPECT_EQ(ChatTemplate::detect("[INST] {{ m }} [/INST]").name(), "llama2");
  EXPECT_EQ(ChatTemplate::detect("{{ ' [INST] ' + system_message }}").name(), "mistral-v1");
  EXPECT_EQ(ChatTemplate::detect("[AVAILABLE_TOOLS] [INST]").name(), "mistral-v1");
  EXPECT_EQ(ChatTemplate::detect("[AVAILABLE_TOOLS]{{'[INST]'}}").name(), "mistral-v3");
  EXPECT_EQ(ChatTemplate::detect("[SYSTEM_PROMPT][INST]").name(), "mistral-v7");
  EXPECT_EQ(ChatTemplate::detect("<|user|>{{ m }}<|endoftext|>").name(), "zephyr");
  EXPECT_EQ(ChatTemplate::detect("GPT4 Correct User:").name(), "openchat");
  EXPECT_EQ(ChatTemplate::detect("USER: {{ a }} ASSISTANT: {{ b }}").name(), "vicuna");
  EXPECT_EQ(ChatTemplate::detect("SYSTEM: USER: ASSISTANT: ").name(), "vicuna-orca");
  EXPECT_EQ(ChatTemplate::detect("### Instruction:\n<|EOT|>").name(), "deepseek");
  EXPECT_EQ(ChatTemplate::detect("'Assistant: ' + message['content'] + eos_token").name(), "deepseek2");
  EXPECT_EQ(ChatTemplate::detect("<|start_of_role|>").name(), "granite");
  EXPECT_EQ(ChatTemplate::detect("chatml").name(), "chatml");  // a bare name is accepted
}

TEST(ChatTemplateDetect, UnrecognisedTemplateIsAClearError) {
  try {
    ChatTemplate::detect("{% for m in messages %}{{ m.content }}{% endfor %}");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("unrecognised chat template"));
    EXPECT_THAT(e.what(), HasSubstr("chatml"));
  }
}

TEST(ChatTemplateName, UnknownNameListsTheKnownNames) {
  try {
    ChatTemplate::from_name("no-such-template");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("no-such-template"));
    EXPECT_THAT(e.what(), HasSubstr("llama3"));
    EXPECT_THAT(e.what(), HasSubstr("mistral-v7"));
  }
  EXPECT_THROW(ChatTemplate::from_name(""), std::invalid_argument);
  EXPECT_THROW(ChatTemplate::from_name("auto"), std::invalid_argument);
}

TEST(ChatTemplateName, EveryBuiltInFamilyHasAStopStringAndRenders) {
  for (const char* name : {"chatml", "phi4", "smolvlm", "mistral-v1", "mistral-v3", "mistral-v3-tekken",
                           "mistral-v7", "mistral-v7-tekken", "llama2", "llama2-sys", "llama2-sys-bos",
                           "llama2-sys-strip", "phi3", "falcon3", "zephyr", "gemma", "orion", "openchat",
                           "vicuna", "vicuna-orca", "deepseek", "deepseek2", "deepseek3", "command-r",
                           "llama3", "llama4", "chatglm3", "chatglm4", "glmedge", "minicpm", "exaone3",
                           "granite", "megrez"}) {
    SCOPED_TRACE(name);
    const ChatTemplate t = ChatTemplate::from_name(name);
    EXPECT_EQ(t.name(), name);
    EXPECT_FALSE(t.stop_strings().empty());
    const std::string text = t.apply(kConversation, true);
    EXPECT_THAT(text, HasSubstr("Hello! What is 2+2?"));
    EXPECT_THAT(text, HasSubstr("And 3*3?"));
  }
}

TEST(ChatTemplateFormat, FamiliesWithoutGoldenRendersFollowTheirFormat) {
  const std::vector<ChatMessage> two = {{"system", "S"}, {"user", "U"}, {"assistant", "A"}, {"user", "V"}};
  EXPECT_EQ(ChatTemplate::from_name("mistral-v1").apply(two, true), " [INST] S\n\nU [/INST] A</s> [INST] V [/INST]");
  EXPECT_EQ(ChatTemplate::from_name("mistral-v3").apply(two, true), "[INST] S\n\nU[/INST] A</s>[INST] V[/INST]");
  EXPECT_EQ(ChatTemplate::from_name("llama2-sys").apply(two, true),
            "[INST] <<SYS>>\nS\n<</SYS>>\n\nU [/INST]A</s>[INST] V [/INST]");
  EXPECT_EQ(ChatTemplate::from_name("llama2-sys-bos").apply(two, true),
            "[INST] <<SYS>>\nS\n<</SYS>>\n\nU [/INST]A</s><s>[INST] V [/INST]");
  EXPECT_EQ(ChatTemplate::from_name("vicuna").apply(two, true), "S\n\nUSER: U\nASSISTANT: A</s>\nUSER: V\nASSISTANT:");
  EXPECT_EQ(ChatTemplate::from_name("openchat").apply(two, true),
            "S<|end_of_turn|>GPT4 Correct User: U<|end_of_turn|>GPT4 Correct Assistant: A<|end_of_turn|>"
            "GPT4 Correct User: V<|end_of_turn|>GPT4 Correct Assistant:");
  EXPECT_EQ(ChatTemplate::from_name("granite").apply(two, false),
            "<|start_of_role|>system<|end_of_role|>S<|end_of_text|>\n<|start_of_role|>user<|end_of_role|>U"
            "<|end_of_text|>\n<|start_of_role|>assistant<|end_of_role|>A<|end_of_text|>\n"
            "<|start_of_role|>user<|end_of_role|>V<|end_of_text|>\n");
  EXPECT_EQ(ChatTemplate::from_name("deepseek").apply(two, true),
            "S### Instruction:\nU\n### Response:\nA\n<|EOT|>\n### Instruction:\nV\n### Response:\n");
  EXPECT_EQ(ChatTemplate::from_name("orion").apply(two, true),
            "Human: S\n\nU\n\nAssistant: </s>A</s>Human: V\n\nAssistant: </s>");
}

TEST(ChatTemplateFormat, GenerationPromptIsOptional) {
  const std::vector<ChatMessage> one = {{"user", "Hi"}};
  EXPECT_EQ(ChatTemplate::from_name("chatml").apply(one, false), "<|im_start|>user\nHi<|im_end|>\n");
  EXPECT_EQ(ChatTemplate::from_name("chatml").apply(one, true),
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_EQ(ChatTemplate::from_name("gemma").apply(one, false), "<start_of_turn>user\nHi<end_of_turn>\n");
}

TEST(ChatTemplateFormat, ToolResultsUseEachFamilysToolTurn) {
  const std::vector<ChatMessage> tool = {{"tool", " 42 "}};
  EXPECT_EQ(ChatTemplate::from_name("chatml").apply(tool, false), "<|im_start|>tool\n 42 <|im_end|>\n");
  EXPECT_EQ(ChatTemplate::from_name("llama3").apply(tool, false),
            "<|start_header_id|>ipython<|end_header_id|>\n\n42<|eot_id|>");
  EXPECT_EQ(ChatTemplate::from_name("gemma").apply(tool, false), "<start_of_turn>user\n42<end_of_turn>\n");
  EXPECT_EQ(ChatTemplate::from_name("mistral-v7").apply(tool, false), "[TOOL_RESULTS]  42 [/TOOL_RESULTS]");
}

TEST(ChatTemplateFormat, StopStringsEndTheAssistantTurn) {
  EXPECT_EQ(ChatTemplate::from_name("chatml").stop_strings(), std::vector<std::string>{"<|im_end|>"});
  EXPECT_THAT(ChatTemplate::from_name("llama3").stop_strings(), ::testing::Contains("<|eot_id|>"));
  EXPECT_EQ(ChatTemplate::from_name("gemma").stop_strings(), std::vector<std::string>{"<end_of_turn>"});
}

class ChatTemplateModel : public ::testing::Test {
 protected:
  std::filesystem::path write_gguf(const std::string& name, const std::string* chat_template) {
    GgufWriter w;
    w.set("general.architecture", "llama");
    if (chat_template) w.set("tokenizer.chat_template", *chat_template);
    const auto path = dir_.path() / name;
    w.write(path);
    return path;
  }
  test::TempDir dir_;
};

TEST_F(ChatTemplateModel, AutoDetectsTheTemplateOfTheFile) {
  const std::string jinja = read_file(test::shared_dir() / "templates" / "meta-llama-Llama-3.2-3B-Instruct.jinja");
  const GgufFile file = GgufFile::open(write_gguf("with.gguf", &jinja));
  EXPECT_EQ(ChatTemplate::for_model(file, "auto").name(), "llama3");
  EXPECT_EQ(ChatTemplate::for_model(file, "chatml").name(), "chatml");  // configured wins
}

TEST_F(ChatTemplateModel, MissingTemplateNamesTheFileUnlessConfigured) {
  const GgufFile file = GgufFile::open(write_gguf("without.gguf", nullptr));
  try {
    ChatTemplate::for_model(file, "auto");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("without.gguf"));
    EXPECT_THAT(e.what(), HasSubstr("tokenizer.chat_template"));
  }
  EXPECT_EQ(ChatTemplate::for_model(file, "zephyr").name(), "zephyr");
}

TEST_F(ChatTemplateModel, UnrecognisedTemplateOrBadNameNamesTheFile) {
  const std::string jinja = "{{ messages[0].content }}";
  const GgufFile file = GgufFile::open(write_gguf("odd.gguf", &jinja));
  try {
    ChatTemplate::for_model(file, "auto");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("odd.gguf"));
    EXPECT_THAT(e.what(), HasSubstr("unrecognised chat template"));
  }
  EXPECT_EQ(ChatTemplate::for_model(file, "gemma").name(), "gemma");
  EXPECT_THROW(ChatTemplate::for_model(file, "gemma-9"), std::invalid_argument);
}

TEST(ChatTemplateModelFiles, SharedModelsWithoutATemplateNeedAConfiguredName) {
  const GgufFile file = GgufFile::open(test::shared_dir() / "models" / "stories260K.gguf");
  ASSERT_EQ(file.find("tokenizer.chat_template"), nullptr);
  EXPECT_THROW(ChatTemplate::for_model(file, "auto"), std::invalid_argument);
  EXPECT_EQ(ChatTemplate::for_model(file, "llama2").name(), "llama2");
}

}  // namespace
}  // namespace sb::engine
