// The tokenizers against the reference engine's outputs: every
// shared/vocab/ggml-vocab-*.gguf with its .inp / .out vectors, and the prompt tokens of
// the golden files of shared/models.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "local_engine/gguf.h"
#include "local_engine/tokenizer.h"
#include "local_engine/tokenizer_stream.h"
#include "local_engine/unicode.h"
#include "tests/support/paths.h"

namespace sb::engine {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// .inp: every test string is followed by a line "__ggml_vocab_test__" (the string's own
// last newline belongs to the separator, so "" and "\n" are both possible strings).
std::vector<std::string> read_test_strings(const fs::path& path) {
  const std::string content = read_file(path);
  const std::string separator = "\n__ggml_vocab_test__\n";
  std::vector<std::string> strings;
  size_t begin = 0;
  for (size_t hit = content.find(separator); hit != std::string::npos; hit = content.find(separator, begin)) {
    strings.push_back(content.substr(begin, hit - begin));
    begin = hit + separator.size();
  }
  return strings;
}

// .out: one line of space-separated token ids per test string.
std::vector<std::vector<TokenId>> read_expected_tokens(const fs::path& path) {
  std::istringstream lines(read_file(path));
  std::vector<std::vector<TokenId>> expected;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream ids(line);
    std::vector<TokenId>& tokens = expected.emplace_back();
    for (TokenId id; ids >> id;) tokens.push_back(id);
  }
  return expected;
}

std::string join(const std::vector<TokenId>& ids) {
  std::string out;
  for (TokenId id : ids) {
    if (!out.empty()) out += ' ';
    out += std::to_string(id);
  }
  return out;
}

fs::path vocab_dir() { return test::shared_dir() / "vocab"; }

std::vector<std::string> vocab_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(vocab_dir())) {
    const std::string file = entry.path().filename().string();
    if (file.starts_with("ggml-vocab-") && file.ends_with(".gguf")) {
      names.push_back(file.substr(11, file.size() - 11 - 5));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Loaded once per vocabulary for all tests of the suite.
const Tokenizer& vocab_tokenizer(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
  auto& slot = cache[name];
  if (!slot) {
    const GgufFile file = GgufFile::open(vocab_dir() / ("ggml-vocab-" + name + ".gguf"));
    slot = std::make_unique<Tokenizer>(Tokenizer::from_gguf(file));
  }
  return *slot;
}

class VocabFile : public ::testing::TestWithParam<std::string> {
 protected:
  fs::path base() const { return vocab_dir() / ("ggml-vocab-" + GetParam() + ".gguf"); }
};

TEST_P(VocabFile, TokenizesEveryTestStringLikeTheReference) {
  const Tokenizer& tokenizer = vocab_tokenizer(GetParam());
  const auto strings = read_test_strings(base().string() + ".inp");
  const auto expected = read_expected_tokens(base().string() + ".out");
  ASSERT_EQ(strings.size(), expected.size()) << "the .inp and .out files disagree on the number of strings";
  ASSERT_GT(strings.size(), 0u);

  size_t passed = 0;
  for (size_t i = 0; i < strings.size(); ++i) {
    const auto got = tokenizer.tokenize(strings[i], /*add_special=*/false, /*parse_special=*/false);
    if (got == expected[i]) {
      ++passed;
    } else {
      ADD_FAILURE() << GetParam() << " string #" << i << " '" << strings[i]
                    << "'\n  expected: " << join(expected[i]) << "\n  got:      " << join(got);
    }
  }
  std::printf("[ vocab    ] %-16s %zu/%zu strings match the reference\n", GetParam().c_str(), passed,
              strings.size());
  EXPECT_EQ(passed, strings.size());
}

// Where the reference guarantees detokenize(tokenize(s)) == s: not for WordPiece (it
// lowercases and drops white space), and for vocabularies with clean_spaces only when
// the text has none of the sequences the clean-up rewrites.
bool round_trip_expected(const Vocab& vocab, const std::string& text) {
  if (vocab.type() == VocabType::Wpm) return false;
  if (!vocab.clean_spaces()) return true;
  for (const char* rewritten : {" ?", " !", " .", " ,", " '"}) {
    if (text.find(rewritten) != std::string::npos) return false;
  }
  return true;
}

bool is_well_formed(const std::string& bytes) {
  std::string copy;
  return append_well_formed_utf8(bytes, true, copy) == bytes.size() && copy == bytes;
}

TEST_P(VocabFile, DetokenizeRestoresTheText) {
  const Tokenizer& tokenizer = vocab_tokenizer(GetParam());
  if (tokenizer.vocab().type() == VocabType::Wpm) GTEST_SKIP() << "WordPiece normalizes the text";
  size_t checked = 0;
  for (const std::string& text : read_test_strings(base().string() + ".inp")) {
    if (!round_trip_expected(tokenizer.vocab(), text)) continue;
    const auto tokens = tokenizer.tokenize(text, false, false);
    EXPECT_EQ(tokenizer.detokenize(tokens, false, false), text) << GetParam();
    ++checked;
  }
  EXPECT_GE(checked, 30u);
}

TEST_P(VocabFile, StreamingReleasesOnlyWellFormedUtf8) {
  const Tokenizer& tokenizer = vocab_tokenizer(GetParam());
  for (const std::string& text : read_test_strings(base().string() + ".inp")) {
    std::string pieces;
    std::string streamed;
    Detokenizer stream(tokenizer);
    for (TokenId id : tokenizer.tokenize(text, false, false)) {
      pieces.append(tokenizer.token_to_piece(id, false));
      const std::string chunk = stream.push(id);
      EXPECT_TRUE(is_well_formed(chunk)) << GetParam() << ": '" << text << "'";
      streamed += chunk;
    }
    streamed += stream.flush();
    if (is_well_formed(pieces)) {
      EXPECT_EQ(streamed, pieces) << GetParam();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SharedVocabs, VocabFile, ::testing::ValuesIn(vocab_names()), [](const auto& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
});

TEST(VocabFiles, AllElevenReferenceVocabulariesArePresent) { EXPECT_EQ(vocab_names().size(), 11u); }

// Golden prompts: prompt_tokens is the reference's tokenization with its special tokens
// (BOS for the SentencePiece models, none for the qwen2 BPE model).
TEST(GoldenPrompts, MatchTheReferencePromptTokens) {
  size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(test::shared_dir() / "golden")) {
    const fs::path model = test::shared_dir() / "models" / (entry.path().stem().string() + ".gguf");
    if (entry.path().extension() != ".jsonl" || !fs::exists(model)) continue;
    const GgufFile file = GgufFile::open(model);
    const Tokenizer tokenizer = Tokenizer::from_gguf(file);
    std::istringstream lines(read_file(entry.path()));
    for (std::string line; std::getline(lines, line);) {
      const auto golden = nlohmann::json::parse(line);
      const auto expected = golden.at("prompt_tokens").get<std::vector<TokenId>>();
      EXPECT_EQ(tokenizer.tokenize(golden.at("prompt").get<std::string>(), true, false), expected)
          << model.filename();
      ++checked;
    }
  }
  EXPECT_GE(checked, 18u);
}

}  // namespace
}  // namespace sb::engine
