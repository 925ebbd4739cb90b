#pragma once
// Cutting special tokens out of raw text before the tokenizer model sees it, the way the
// reference engine does: special tokens are taken longest first; each one is cut out of
// every remaining raw-text fragment, left to right. Control and unknown tokens are cut
// only when `parse_special`; user-defined tokens always (as Hugging Face tokenizers
// treat added tokens). A token with the lstrip / rstrip attribute also swallows the
// ASCII white space on that side.
#include <cstddef>
#include <string_view>
#include <vector>

#include "local_engine/vocab.h"

namespace sb::engine {

// A special token, or (token == kNoToken) the raw text[offset, offset + length).
struct TextFragment {
  TokenId token = kNoToken;
  size_t offset = 0;
  size_t length = 0;  // > 0 for raw text

  bool is_text() const { return token == kNoToken; }
};

std::vector<TextFragment> split_special_tokens(const Vocab& vocab, std::string_view text, bool parse_special);

}  // namespace sb::engine
