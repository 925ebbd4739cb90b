#include "local_engine/tokenizer_stream.h"

#include "local_engine/unicode.h"

namespace sb::engine {

std::string Detokenizer::push(TokenId id) {
  pending_.append(tokenizer_.token_to_piece(id, special_));
  std::string out;
  pending_.erase(0, append_well_formed_utf8(pending_, /*final=*/false, out));
  return out;
}

std::string Detokenizer::flush() {
  std::string out;
  append_well_formed_utf8(pending_, /*final=*/true, out);
  pending_.clear();
  return out;
}

}  // namespace sb::engine
