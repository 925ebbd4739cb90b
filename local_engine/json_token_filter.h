#pragma once
// Binds a JsonConstraint to a vocabulary for the sampler: a token is allowed when its
// piece keeps the output a valid JSON prefix and the value can still be completed within
// the tokens left (at one token per byte, which byte-level and byte-fallback vocabularies
// always can). End-of-generation tokens are allowed only once the value is complete;
// tokens with no text (control tokens) never.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "local_engine/json_constraint.h"
#include "local_engine/sampler.h"
#include "local_engine/tokenizer.h"

namespace sb::engine {

class JsonTokenFilter final : public TokenFilter {
 public:
  // `tokenizer` must outlive the filter.
  JsonTokenFilter(const Tokenizer& tokenizer, JsonConstraint constraint);

  // Tokens that may still be generated, the next one included. When even the shortest
  // completion does not fit, the limit is dropped (the output will be cut short anyway).
  void set_tokens_left(size_t tokens_left);
  bool allows(int32_t token) const override;
  // Records a sampled token (which allows() accepted).
  void accept(int32_t token);
  // The value is complete and nothing may follow: stop generating.
  bool finished() const { return constraint_.finished(); }

 private:
  const Tokenizer& tokenizer_;
  JsonConstraint constraint_;
  std::vector<int16_t> first_byte_;  // [n_vocab] first byte of the piece, -1 for none
  size_t completion_limit_ = SIZE_MAX;  // bytes the completion may take after the next token
};

}  // namespace sb::engine
