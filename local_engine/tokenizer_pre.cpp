#include "local_engine/tokenizer_pre.h"

#include <algorithm>
#include <span>
#include <stdexcept>

namespace sb::engine {

namespace {

using P = SplitPattern;

struct PreTokenizerFamily {
  std::vector<std::string_view> names;  // first = canonical
  std::vector<SplitPattern> stages;
  bool ignore_merges = false;
  bool clean_spaces = true;
  bool add_bos = false;
  bool has_bos = true;
};

// The reference engine's pre-tokenizer types that this engine implements, by the names
// that select them and the vocabulary flags it sets for each.
const std::vector<PreTokenizerFamily>& families() {
  static const std::vector<PreTokenizerFamily> kFamilies = {
      {.names = {"default"}, .stages = {P::PunctuationRun, P::Gpt2, P::NumberRun, P::AsciiDigitTriple}},
      {.names = {"llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2"},
       .stages = {P::Llama3},
       .ignore_merges = true,
       .add_bos = true},
      {.names = {"dbrx", "smaug-bpe"}, .stages = {P::Llama3}},
      {.names = {"chatglm-bpe", "glm4"}, .stages = {P::Llama3}, .has_bos = false},
      {.names = {"deepseek-llm"},
       .stages = {P::LineBreak, P::DeepseekCasedLetters, P::DeepseekSymbols, P::TrailingSpace, P::CjkRun,
                  P::NumberRun},
       .clean_spaces = false},
      {.names = {"deepseek-coder"},
       .stages = {P::LineBreak, P::SpaceLetters, P::SpacePunctuation, P::CjkRun, P::SingleNumber},
       .clean_spaces = false},
      {.names = {"falcon"}, .stages = {P::PunctuationRunBacktick, P::Gpt2, P::AsciiDigitTriple}},
      {.names = {"gpt-2", "mpt", "olmo", "jais", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es",
                 "jina-v2-de", "a.x-4.0", "mellum", "modern-bert", "exaone4"},
       .stages = {P::Gpt2}},
      {.names = {"trillion", "granite-docling"}, .stages = {P::Gpt2}, .clean_spaces = false},
      {.names = {"starcoder", "refact", "codeshell", "exaone", "minerva-7b", "mellum2"},
       .stages = {P::SingleNumber, P::Gpt2}},
      {.names = {"command-r", "smollm"}, .stages = {P::SingleNumber, P::Gpt2}, .clean_spaces = false},
      {.names = {"qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "hunyuan", "solar-open"},
       .stages = {P::Qwen2},
       .clean_spaces = false},
      {.names = {"stablelm2", "megrez"}, .stages = {P::Qwen2}},
      {.names = {"bloom", "gpt3-finnish"}, .stages = {P::BloomWord}},
      {.names = {"poro-chat"}, .stages = {P::BloomWord}, .clean_spaces = false},
      {.names = {"viking"}, .stages = {P::BloomWord, P::SingleNumber}, .clean_spaces = false},
  };
  return kFamilies;
}

}  // namespace

PreTokenizer PreTokenizer::from_name(std::string_view name) {
  const std::string_view wanted = name.empty() ? "default" : name;
  for (const auto& family : families()) {
    if (std::find(family.names.begin(), family.names.end(), wanted) == family.names.end()) continue;
    return PreTokenizer{std::string(family.names.front()),
                        family.stages,
                        family.ignore_merges,
                        family.clean_spaces,
                        family.add_bos,
                        family.has_bos};
  }
  throw std::runtime_error("unknown pre-tokenizer type: '" + std::string(name) + "'");
}

std::vector<std::string> PreTokenizer::split(std::string_view text) const {
  const SplitText cpts = SplitText::decode(text);
  std::vector<CodepointSpan> pieces = {{0, cpts.cpts.size()}};  // [n_pieces]
  std::vector<CodepointSpan> next;                              // [n_pieces of this stage]
  for (SplitPattern stage : stages) {
    next.clear();
    for (const CodepointSpan& piece : pieces) split_span(stage, cpts, piece, next);
    pieces.swap(next);
  }
  const std::span<const uint32_t> all(cpts.cpts);
  std::vector<std::string> words;  // [n_pieces]
  words.reserve(pieces.size());
  for (const CodepointSpan& piece : pieces)
    words.push_back(encode_utf8(all.subspan(piece.begin, piece.end - piece.begin)));
  return words;
}

}  // namespace sb::engine
