#pragma once
// Text <-> token ids for a GGUF model, matching the reference engine token for token:
// SentencePiece (`llama`), byte-level BPE (`gpt2`, pre-tokenizer from
// `tokenizer.ggml.pre`) and WordPiece (`bert`). Immutable after construction; one
// Tokenizer can serve any number of threads.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "local_engine/vocab.h"

namespace sb::engine {

class GgufFile;

class Tokenizer {
 public:
  explicit Tokenizer(Vocab vocab);
  // Reads the tokenizer.ggml.* keys; throws std::runtime_error naming the file.
  static Tokenizer from_gguf(const GgufFile& file);

  const Vocab& vocab() const { return vocab_; }

  // add_special: BOS/EOS as the vocabulary asks (add_bos_token / add_eos_token; for
  // WordPiece [CLS] ... [SEP]). parse_special: text spelling a control token becomes
  // that token; when false it is tokenized as plain text. Invalid UTF-8 is tokenized
  // as U+FFFD by BPE and WordPiece and as byte tokens by SentencePiece.
  std::vector<TokenId> tokenize(std::string_view text, bool add_special, bool parse_special) const;

  // The bytes a token stands for (not necessarily whole UTF-8 characters: byte tokens
  // are single bytes). Control and unknown tokens give "" unless `special`, then their
  // text. Throws std::out_of_range for an id outside the vocabulary.
  std::string_view token_to_piece(TokenId id, bool special) const;

  // The text of a token sequence, like the reference's llama_detokenize:
  // remove_special drops a leading BOS / trailing EOS the vocabulary adds; the space
  // SentencePiece prefixes is removed from the first piece; vocabularies with
  // clean_spaces get " ," -> "," and similar clean-ups. May contain invalid UTF-8 when
  // the tokens split a character.
  std::string detokenize(std::span<const TokenId> tokens, bool remove_special, bool unparse_special) const;

 private:
  std::string render_piece(TokenId id) const;

  Vocab vocab_;
  std::vector<std::string> pieces_;  // [n_vocab] token_to_piece(id, special = true)
};

}  // namespace sb::engine
