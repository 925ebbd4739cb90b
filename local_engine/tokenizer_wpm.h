#pragma once
// WordPiece as the reference engine does it for `bert` vocabularies (whose GGUF tokens
// mark word starts with U+2581 instead of marking continuations with ##): normalize
// (NFD base + drop accents, lowercase, drop controls), split at white space and around
// punctuation / ASCII symbols / CJK ideographs, then cut each word into the longest
// vocabulary prefixes; a word that cannot be cut completely becomes the unknown token.
#include <string>
#include <string_view>
#include <vector>

#include "local_engine/vocab.h"

namespace sb::engine {

// The normalized words of `text`, before the word-start marker is added.
std::vector<std::string> wpm_words(std::string_view text, bool lowercase, bool strip_accents);

// Appends the tokens of `text` to `out`.
void tokenize_wpm(const Vocab& vocab, std::string_view text, std::vector<TokenId>& out);

}  // namespace sb::engine
