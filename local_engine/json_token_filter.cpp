#include "local_engine/json_token_filter.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace sb::engine {

JsonTokenFilter::JsonTokenFilter(const Tokenizer& tokenizer, JsonConstraint constraint)
    : constraint_(std::move(constraint)) {
  const auto n_tokens = static_cast<TokenId>(tokenizer.vocab().n_tokens());
  pieces_.reserve(static_cast<size_t>(n_tokens));
  leads_.reserve(static_cast<size_t>(n_tokens));
  for (TokenId id = 0; id < n_tokens; ++id) {
    const std::string_view piece = tokenizer.token_to_piece(id, false);
    pieces_.push_back(piece);
    Lead lead;
    lead.length = static_cast<uint8_t>(std::min<size_t>(piece.size(), 2));
    if (!piece.empty()) lead.first = static_cast<uint8_t>(piece[0]);
    if (piece.size() > 1) lead.second = static_cast<uint8_t>(piece[1]);
    lead.end_of_generation = tokenizer.vocab().is_eog(id);
    leads_.push_back(lead);
  }
}

void JsonTokenFilter::set_tokens_left(size_t tokens_left) {
  const bool fits = tokens_left > 0 && constraint_.shortest_completion() <= tokens_left;
  completion_limit_ = fits ? tokens_left - 1 : SIZE_MAX;
}

bool JsonTokenFilter::allows(int32_t token) const {
  const auto id = static_cast<size_t>(token);
  const Lead& lead = leads_.at(id);
  if (lead.end_of_generation) return constraint_.complete();
  if (lead.length == 0) return false;
  const auto second = lead.length > 1 ? std::optional<uint8_t>(lead.second) : std::nullopt;
  if (!constraint_.may_start_with(lead.first, second)) return false;
  const size_t completion = constraint_.completion_after(pieces_[id]);
  return completion != JsonConstraint::kRefused && completion <= completion_limit_;
}

void JsonTokenFilter::accept(int32_t token) {
  const auto id = static_cast<size_t>(token);
  if (!leads_.at(id).end_of_generation) constraint_.advance(pieces_[id]);
}

}  // namespace sb::engine
