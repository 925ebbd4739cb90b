#pragma once
// Constrained JSON output (response_format json_object / json_schema): an incremental
// recognizer that says whether appending a piece of text keeps the output a prefix of an
// accepted JSON value, so a sampler can refuse every token that would break it.
//
// The recognizer works on bytes and is UTF-8 aware: strings must hold well-formed UTF-8
// with no raw control characters, \u escapes must pair surrogates. It also bounds what a
// model could otherwise repeat forever between values: whitespace runs (16 bytes),
// numbers (24 bytes) and nesting (70 levels). Every accepted prefix can still be
// completed, and shortest_completion() says how many bytes that takes at least, so a
// caller that has N tokens left can refuse tokens after which completion would not fit
// (see JsonTokenFilter). What a schema may say is documented in json_schema.h.
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "local_engine/json_machine.h"
#include "local_engine/json_schema.h"

namespace sb::engine {

class JsonConstraint {
 public:
  static constexpr size_t kRefused = static_cast<size_t>(-1);

  // response_format json_object: the value must be an object (any keys and values).
  static JsonConstraint object();
  // response_format json_schema: `schema_json` is the schema itself (the "schema" member
  // of OpenAI's json_schema object). Throws std::invalid_argument for text that is not
  // JSON or a schema compile() rejects.
  static JsonConstraint from_schema(const std::string& schema_json);

  // Would appending `piece` keep the output a valid prefix? ("" always does.)
  bool accepts(std::string_view piece) const { return completion_after(piece) != kRefused; }
  // shortest_completion() after appending `piece`, or kRefused if it is not accepted.
  size_t completion_after(std::string_view piece) const;
  // False when a piece beginning with `first` (then `second`, if the piece has a second
  // byte) is refused on those bytes: two table lookups, the cheap first test for a whole
  // vocabulary (where many pieces begin with a space).
  bool may_start_with(uint8_t first, std::optional<uint8_t> second) const {
    if (!first_bytes_[first]) return false;
    return first != ' ' || !second || after_space_[*second];
  }
  // Appends `piece`; throws std::invalid_argument if !accepts(piece).
  void advance(std::string_view piece);

  // The output is one whole accepted value (a top-level number could still grow).
  bool complete() const { return machine_.complete(); }
  // complete(), and nothing may follow: generation should stop.
  bool finished() const { return machine_.finished(); }
  // Bytes at least that complete the value (0 when complete()).
  size_t shortest_completion() const { return machine_.shortest_completion(); }

 private:
  explicit JsonConstraint(std::shared_ptr<const JsonSchema> schema);
  void update_tables();

  std::shared_ptr<const JsonSchema> schema_;  // shared by copies; immutable
  JsonMachine machine_;
  std::bitset<256> first_bytes_;  // bytes the next piece may start with
  std::bitset<256> after_space_;  // bytes that may follow when it starts with a space
};

}  // namespace sb::engine
