#include "local_engine/byte_vocab.h"

#include <gtest/gtest.h>

#include "local_engine/generate.h"
#include "local_engine/gguf.h"
#include "local_engine/model.h"
#include "local_engine/synth.h"
#include "local_engine/tokenizer.h"
#include "tests/support/paths.h"

namespace sb::engine {
namespace {

TEST(ByteVocab, TokenizesAnyTextByByteFallbackAndRoundTrips) {
  test::TempDir dir;
  const auto path = dir.path() / "bytes.gguf";
  write_byte_vocab(path);
  const GgufFile file = GgufFile::open(path);
  EXPECT_EQ(file.get_string_array("tokenizer.ggml.tokens").size(), static_cast<size_t>(kByteVocabSize));
  const Tokenizer tok = Tokenizer::from_gguf(file);

  // BOS, "▁" (SentencePiece's prefix space, id 259), then the bytes of "Hé" as <0xXX> tokens (id = 3 + byte).
  EXPECT_EQ(tok.tokenize("Hé", true, false), (std::vector<TokenId>{1, 259, 3 + 'H', 3 + 0xC3, 3 + 0xA9}));
  for (std::string text : {"Hello, world!", "naïve 日本語 🦙", "tabs\tand\nnewlines"}) {
    auto ids = tok.tokenize(text, false, false);
    EXPECT_EQ(tok.detokenize(ids, true, false), text);
  }
}

TEST(ByteVocab, SynthModelWithItRunsEndToEnd) {
  test::TempDir dir;
  const auto vocab_path = dir.path() / "bytes.gguf";
  write_byte_vocab(vocab_path);
  SynthOptions o;
  o.dim = 64;
  o.layers = 2;
  o.heads = 4;
  o.kv_heads = 2;
  o.ffn = 128;
  o.ctx = 64;
  const auto model_path = dir.path() / "demo.gguf";
  write_synth_model(o, GgufFile::open(vocab_path), model_path);

  const Model model = Model::load(model_path);
  EXPECT_EQ(model.config().vocab_size, kByteVocabSize);
  const Tokenizer tok = Tokenizer::from_gguf(model.file());
  const auto prompt = tok.tokenize("Once upon a time", true, false);
  GenerateParams params;
  params.max_tokens = 12;
  params.stop_at_end_of_generation = false;
  const GenerateResult first = generate(model, tok, prompt, params);
  const GenerateResult again = generate(model, tok, prompt, params);
  EXPECT_EQ(first.tokens.size(), 12u);
  EXPECT_EQ(first.tokens, again.tokens);  // greedy by default: deterministic
  for (TokenId t : first.tokens) EXPECT_LT(t, kByteVocabSize);
}

}  // namespace
}  // namespace sb::engine
