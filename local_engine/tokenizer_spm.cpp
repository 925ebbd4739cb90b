#include "local_engine/tokenizer_spm.h"

#include "local_engine/tokenizer_merge.h"

namespace sb::engine {

void tokenize_spm(const Vocab& vocab, std::string_view text, std::vector<TokenId>& out) {
  const MergeCost by_score = [&](std::string_view merged, std::string_view,
                                 std::string_view) -> std::optional<double> {
    const TokenId id = vocab.find(merged);
    if (id == kNoToken) return std::nullopt;
    return -static_cast<double>(vocab.score(id));
  };
  for (std::string_view piece : merge_pairs(text, by_score)) {
    if (const TokenId id = vocab.find(piece); id != kNoToken) {
      out.push_back(id);
      continue;
    }
    for (char byte : piece) {  // byte fallback
      const TokenId id = vocab.byte_token(static_cast<uint8_t>(byte));
      if (id != kNoToken) {
        out.push_back(id);
      } else if (vocab.unk() != kNoToken) {
        out.push_back(vocab.unk());  // the reference engine would fail here
      }
    }
  }
}

}  // namespace sb::engine
