#pragma once
// Streaming detokenization: tokens arrive one at a time (as a model generates them) and
// only complete, well-formed UTF-8 is released. A character split across byte tokens
// is held back until its last byte arrives; ill-formed bytes become U+FFFD at once;
// flush() ends the stream, turning a dangling incomplete character into U+FFFD.
// Pieces are emitted as token_to_piece gives them (no space clean-up or prefix
// removal), like the reference server's streaming.
#include <string>

#include "local_engine/tokenizer.h"

namespace sb::engine {

class Detokenizer {
 public:
  // `special`: render control tokens as their text (otherwise they emit nothing).
  // `tokenizer` must outlive the Detokenizer.
  explicit Detokenizer(const Tokenizer& tokenizer, bool special = false)
      : tokenizer_(tokenizer), special_(special) {}

  // The text that became complete with this token (often the whole piece, sometimes
  // "" while a character is incomplete). Throws std::out_of_range for a bad id.
  std::string push(TokenId id);
  // Everything still held back; call once at the end of the stream.
  std::string flush();

 private:
  const Tokenizer& tokenizer_;
  bool special_;
  std::string pending_;  // [<= 3 bytes] start of an incomplete UTF-8 character
};

}  // namespace sb::engine
