#pragma once
// Byte-level BPE as the reference engine does it for `gpt2` vocabularies: the
// pre-tokenizer cuts the text into words, each word's bytes are written in GPT-2's
// byte alphabet, then adjacent symbols are merged by merge rank (lowest first, leftmost
// on ties) until no listed merge applies.
#include <string_view>
#include <vector>

#include "local_engine/vocab.h"

namespace sb::engine {

// Appends the tokens of `text` to `out`.
void tokenize_bpe(const Vocab& vocab, std::string_view text, std::vector<TokenId>& out);

}  // namespace sb::engine
