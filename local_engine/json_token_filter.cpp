#include "local_engine/json_token_filter.h"

#include <utility>

namespace sb::engine {

JsonTokenFilter::JsonTokenFilter(const Tokenizer& tokenizer, JsonConstraint constraint)
    : tokenizer_(tokenizer), constraint_(std::move(constraint)) {
  const auto n_tokens = static_cast<TokenId>(tokenizer.vocab().n_tokens());
  first_byte_.reserve(static_cast<size_t>(n_tokens));
  for (TokenId id = 0; id < n_tokens; ++id) {
    const std::string_view piece = tokenizer.token_to_piece(id, false);
    first_byte_.push_back(piece.empty() ? int16_t{-1} : int16_t{static_cast<uint8_t>(piece[0])});
  }
}

void JsonTokenFilter::set_tokens_left(size_t tokens_left) {
  const bool fits = tokens_left > 0 && constraint_.shortest_completion() <= tokens_left;
  completion_limit_ = fits ? tokens_left - 1 : SIZE_MAX;
}

bool JsonTokenFilter::allows(int32_t token) const {
  if (tokenizer_.vocab().is_eog(token)) return constraint_.complete();
  const int16_t first = first_byte_.at(static_cast<size_t>(token));
  if (first < 0 || !constraint_.may_start_with(static_cast<uint8_t>(first))) return false;
  const size_t completion = constraint_.completion_after(tokenizer_.token_to_piece(token, false));
  return completion != JsonConstraint::kRefused && completion <= completion_limit_;
}

void JsonTokenFilter::accept(int32_t token) {
  if (tokenizer_.vocab().is_eog(token)) return;
  constraint_.advance(tokenizer_.token_to_piece(token, false));
}

}  // namespace sb::engine
