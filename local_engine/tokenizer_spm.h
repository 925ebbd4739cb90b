#pragma once
// SentencePiece tokenization as the reference engine does it for `llama` vocabularies:
// start from single UTF-8 characters and repeatedly merge the adjacent pair whose
// concatenation is the vocabulary token with the highest score (leftmost on ties);
// characters that end up outside the vocabulary become byte tokens <0xXX>.
#include <string_view>
#include <vector>

#include "local_engine/vocab.h"

namespace sb::engine {

// Appends the tokens of `text` to `out`. The caller has already applied the space
// prefix and replaced spaces with U+2581.
void tokenize_spm(const Vocab& vocab, std::string_view text, std::vector<TokenId>& out);

}  // namespace sb::engine
