#pragma once
// Binds a JsonConstraint to a vocabulary for the sampler: a token is allowed when its
// piece keeps the output a valid JSON prefix and the value can still be completed within
// the tokens left (at one token per byte, which byte-level and byte-fallback vocabularies
// always can). End-of-generation tokens are allowed only once the value is complete;
// tokens with no text (control tokens) never.
#include <cstddef>
#include <cstdint>
#include <string_view>
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
  JsonConstraint constraint_;
  // What every candidate is first tested on, kept small and apart from the piece text so
  // a pass over the whole vocabulary stays in cache.
  struct Lead {
    uint8_t first = 0, second = 0;
    uint8_t length = 0;  // of the piece, capped at 2
    bool end_of_generation = false;
  };
  std::vector<Lead> leads_;               // [n_vocab]
  std::vector<std::string_view> pieces_;  // [n_vocab] into the tokenizer; "" for control tokens
  size_t completion_limit_ = SIZE_MAX;  // bytes the completion may take after the next token
};

}  // namespace sb::engine
