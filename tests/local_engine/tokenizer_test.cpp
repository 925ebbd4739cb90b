// Tokenizer behaviour: the merge algorithms on small hand-made vocabularies, vocabulary
// validation, special tokens, pieces, detokenization and streaming on real vocabularies.
#include "local_engine/tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "local_engine/gguf.h"
#include "local_engine/tokenizer_stream.h"
#include "tests/support/paths.h"

namespace sb::engine {
namespace {

using Ids = std::vector<TokenId>;
const std::string kFffd = "\xEF\xBF\xBD";

// A SentencePiece vocabulary small enough to follow the merges by hand.
VocabSpec toy_spm() {
  VocabSpec spec;
  spec.model = "llama";
  spec.tokens = {"<unk>",
                 "<s>",
                 "</s>",
                 "\xE2\x96\x81",
                 "a",
                 "b",
                 "c",
                 "ab",
                 "bc",
                 "\xE2\x96\x81"
                 "a",
                 "<0x21>",
                 "aa"};
  spec.scores = {0, 0, 0, -1, -1, -1, -1, -2, -0.5f, -3, 0, -1};
  spec.token_types = {2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 6, 1};
  return spec;
}

TEST(SpmTokenizer, MergesTheHighestScoringPairFirst) {
  const Tokenizer tok(Vocab(toy_spm(), "toy"));
  EXPECT_EQ(tok.tokenize("abc", false, false), (Ids{9, 8}));      // bc (-0.5), then ▁a (-3)
  EXPECT_EQ(tok.tokenize("ab", false, false), (Ids{3, 7}));       // ab (-2) beats ▁a (-3)
  EXPECT_EQ(tok.tokenize("aaa", false, false), (Ids{3, 11, 4}));  // equal scores: leftmost pair
}

TEST(SpmTokenizer, FallsBackToByteTokensThenUnknown) {
  const Tokenizer tok(Vocab(toy_spm(), "toy"));
  EXPECT_EQ(tok.tokenize("a!", true, false), (Ids{1, 9, 10}));        // BOS, ▁a, <0x21>
  EXPECT_EQ(tok.tokenize("\xC3\xA9", false, false), (Ids{3, 0, 0}));  // no <0xC3>/<0xA9>
  EXPECT_EQ(tok.detokenize(Ids{9, 10}, false, false), "a!");
}

VocabSpec toy_bpe(std::vector<std::string> merges) {
  VocabSpec spec;
  spec.model = "gpt2";
  spec.pre = "gpt-2";
  spec.tokens = {"a",
                 "b",
                 "\xC4\xA0",
                 "ab",
                 "\xC4\xA0"
                 "a",
                 "\xC4\xA0"
                 "ab",
                 "<|endoftext|>"};  // Ġ = space
  spec.token_types = {1, 1, 1, 1, 1, 1, 3};
  spec.merges = std::move(merges);
  spec.eos = 6;
  spec.bos = 6;
  return spec;
}

TEST(BpeTokenizer, MergesByRank) {
  const Tokenizer space_first(Vocab(toy_bpe({"\xC4\xA0 a", "a b",
                                             "\xC4\xA0"
                                             "a b"}),
                                    "toy"));
  EXPECT_EQ(space_first.tokenize(" ab", false, false), (Ids{5}));
  const Tokenizer ab_first(Vocab(toy_bpe({"a b", "\xC4\xA0 a",
                                          "\xC4\xA0"
                                          "a b"}),
                                 "toy"));
  EXPECT_EQ(ab_first.tokenize(" ab", false, false), (Ids{2, 3}));  // Ġ + ab has no merge
  EXPECT_EQ(ab_first.tokenize("ab<|endoftext|>", false, true), (Ids{3, 6}));
  EXPECT_EQ(ab_first.detokenize(Ids{2, 3, 6}, false, true), " ab<|endoftext|>");
  EXPECT_EQ(ab_first.detokenize(Ids{2, 3, 6}, false, false), " ab");
}

void expect_error(const VocabSpec& spec, const std::string& message) {
  try {
    Vocab(spec, "toy.gguf");
    FAIL() << "expected: " << message;
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(Vocab, RejectsBadSpecsWithTheSourceName) {
  VocabSpec spec = toy_spm();
  spec.model = "klingon";
  expect_error(
      spec,
      "toy.gguf: unsupported tokenizer model 'klingon' (tokenizer.ggml.model; expected llama, gpt2 or bert)");
  spec = toy_spm();
  spec.tokens[5] = "a";
  expect_error(spec, "toy.gguf: duplicate token in vocabulary: 'a' has ids 4 and 5");
  spec = toy_spm();
  spec.scores.resize(3);
  expect_error(spec, "toy.gguf: tokenizer.ggml.scores has 3 entries for 12 tokens");
  spec = toy_bpe({});
  expect_error(spec, "toy.gguf: BPE vocabulary without tokenizer.ggml.merges");
  spec = toy_bpe({"a b"});
  spec.pre = "klingon";
  expect_error(spec, "toy.gguf: unknown pre-tokenizer type: 'klingon'");
  spec = toy_bpe({"a b"});
  spec.bos.reset();  // the default BOS (11) is outside this vocabulary
  spec.add_bos = true;
  expect_error(spec, "toy.gguf: tokenizer.ggml.add_bos_token is true, but there is no BOS token");
}

TEST(Vocab, DefaultsPerTokenizerModel) {
  const Vocab spm(toy_spm(), "toy");
  EXPECT_TRUE(spm.add_bos());
  EXPECT_FALSE(spm.add_eos());
  EXPECT_TRUE(spm.add_space_prefix());
  EXPECT_EQ(spm.bos(), 1);
  EXPECT_EQ(spm.eos(), 2);
  EXPECT_EQ(spm.unk(), 0);
  EXPECT_TRUE(spm.is_eog(2));
  EXPECT_FALSE(spm.is_eog(1));
  const Vocab bpe(toy_bpe({"a b"}), "toy");
  EXPECT_FALSE(bpe.add_bos());
  EXPECT_FALSE(bpe.add_space_prefix());
  EXPECT_TRUE(bpe.clean_spaces());
  EXPECT_TRUE(bpe.is_eog(6));
}

Tokenizer load_vocab(const std::string& name) {
  const GgufFile file = GgufFile::open(test::shared_dir() / "vocab" / ("ggml-vocab-" + name + ".gguf"));
  return Tokenizer::from_gguf(file);
}

TEST(RealVocab, ParseSpecialTurnsControlTextIntoTokens) {
  const Tokenizer llama = load_vocab("llama-spm");
  EXPECT_EQ(llama.tokenize("<s>Hello</s>", true, true), (Ids{1, 1, 15043, 2}));
  const Ids plain = llama.tokenize("<s>Hello</s>", true, false);
  EXPECT_EQ(std::count(plain.begin(), plain.end(), 1), 1);  // only the added BOS
  EXPECT_EQ(std::count(plain.begin(), plain.end(), 2), 0);
  EXPECT_EQ(llama.detokenize(plain, true, false), " <s>Hello</s>");

  const Tokenizer gpt2 = load_vocab("gpt-2");
  EXPECT_EQ(gpt2.tokenize("a<|endoftext|>b", false, true), (Ids{64, 50256, 65}));
  const Ids text = gpt2.tokenize("a<|endoftext|>b", false, false);
  EXPECT_EQ(std::count(text.begin(), text.end(), 50256), 0);
  EXPECT_EQ(gpt2.detokenize(text, false, false), "a<|endoftext|>b");
}

TEST(RealVocab, Phi3SpecialTokensSwallowTheSpacesAfterThem) {
  const Tokenizer phi3 = load_vocab("phi-3");
  EXPECT_EQ(phi3.tokenize("<|user|>  \n hi", false, true), phi3.tokenize("<|user|>hi", false, true));
  EXPECT_EQ(phi3.tokenize("<|user|>hi", false, true).front(), 32010);
}

TEST(RealVocab, WordPieceAddsClsAndSepAndRendersWordStarts) {
  const Tokenizer bert = load_vocab("bert-bge");
  const Ids ids = bert.tokenize("unaffable Héllo", true, false);
  EXPECT_EQ(ids, (Ids{101, 14477, 20961, 3468, 7592, 102}));
  EXPECT_EQ(bert.detokenize(ids, false, false), " unaffable hello");  // [CLS]/[SEP] are control tokens
  EXPECT_EQ(bert.token_to_piece(7592, false), " hello");
}

TEST(RealVocab, PiecesAndDetokenization) {
  const Tokenizer llama = load_vocab("llama-spm");
  EXPECT_EQ(llama.token_to_piece(243, false), "\xF0");  // <0xF0>
  EXPECT_EQ(llama.token_to_piece(15043, false), " Hello");
  EXPECT_EQ(llama.token_to_piece(1, false), "");
  EXPECT_EQ(llama.token_to_piece(1, true), "<s>");
  EXPECT_THROW(llama.token_to_piece(32000, false), std::out_of_range);
  EXPECT_EQ(llama.detokenize(Ids{15043, 3186}, false, false), "Hello world");     // prefix space removed
  EXPECT_EQ(llama.detokenize(Ids{1, 15043, 3186}, true, false), " Hello world");  // as the reference

  const Tokenizer gpt2 = load_vocab("gpt-2");
  EXPECT_EQ(gpt2.token_to_piece(220, false), " ");
  EXPECT_EQ(gpt2.detokenize(gpt2.tokenize("Hello , world ! It 's", false, false), false, false),
            "Hello, world! It's");  // clean_spaces
  EXPECT_TRUE(gpt2.vocab().is_eog(50256));
}

TEST(Detokenizer, HoldsBackACharacterSplitAcrossByteTokens) {
  const Tokenizer llama = load_vocab("llama-spm");
  ASSERT_EQ(llama.tokenize("\xF0\x9F\xA6\x99", false, false),
            (Ids{29871, 243, 162, 169, 156}));  // ▁ + 🦙 bytes
  Detokenizer stream(llama);
  EXPECT_EQ(stream.push(29871), " ");
  EXPECT_EQ(stream.push(243), "");
  EXPECT_EQ(stream.push(162), "");
  EXPECT_EQ(stream.push(169), "");
  EXPECT_EQ(stream.push(156), "\xF0\x9F\xA6\x99");
  EXPECT_EQ(stream.flush(), "");
}

TEST(Detokenizer, ReplacesBrokenBytesAndFlushesADanglingCharacter) {
  const Tokenizer llama = load_vocab("llama-spm");
  Detokenizer stream(llama);
  EXPECT_EQ(stream.push(258), kFffd);          // <0xFF> can never start a character
  EXPECT_EQ(stream.push(231), "");             // <0xE4>: start of a 3-byte character
  EXPECT_EQ(stream.push(29874), kFffd + "a");  // "a" ends it early
  EXPECT_EQ(stream.push(243), "");
  EXPECT_EQ(stream.push(162), "");
  EXPECT_EQ(stream.flush(), kFffd);
  EXPECT_EQ(stream.flush(), "");
}

TEST(Detokenizer, RendersControlTokensOnlyWhenAsked) {
  const Tokenizer llama = load_vocab("llama-spm");
  Detokenizer plain(llama);
  Detokenizer special(llama, /*special=*/true);
  EXPECT_EQ(plain.push(2), "");
  EXPECT_EQ(special.push(2), "</s>");
}

}  // namespace
}  // namespace sb::engine
