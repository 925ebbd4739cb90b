#include "local_engine/tokenizer_bpe.h"

#include "local_engine/tokenizer_merge.h"
#include "local_engine/unicode_bytes.h"

namespace sb::engine {

void tokenize_bpe(const Vocab& vocab, std::string_view text, std::vector<TokenId>& out) {
  const MergeCost by_rank = [&](std::string_view, std::string_view left,
                                std::string_view right) -> std::optional<double> {
    const int rank = vocab.merge_rank(left, right);
    if (rank < 0) return std::nullopt;
    return rank;
  };
  for (const std::string& word : vocab.pre_tokenizer().split(text)) {
    const std::string encoded = encode_byte_level(word);
    if (vocab.pre_tokenizer().ignore_merges) {
      if (const TokenId id = vocab.find(encoded); id != kNoToken) {
        out.push_back(id);
        continue;
      }
    }
    for (std::string_view piece : merge_pairs(encoded, by_rank)) {
      if (const TokenId id = vocab.find(piece); id != kNoToken) {
        out.push_back(id);
        continue;
      }
      // Not a token: the reference looks each byte of the piece up as a one-byte token
      // and drops those that are not.
      for (size_t b = 0; b < piece.size(); ++b) {
        if (const TokenId id = vocab.find(piece.substr(b, 1)); id != kNoToken) out.push_back(id);
      }
    }
  }
}

}  // namespace sb::engine
