#include "local_engine/json_constraint.h"

#include <stdexcept>

#include "local_engine/json_value.h"

namespace sb::engine {

JsonConstraint::JsonConstraint(std::shared_ptr<const JsonSchema> schema)
    : schema_(std::move(schema)), machine_(*schema_) {
  update_first_bytes();
}

JsonConstraint JsonConstraint::object() {
  return JsonConstraint(std::make_shared<const JsonSchema>(JsonSchema::any_object()));
}

JsonConstraint JsonConstraint::from_schema(const std::string& schema_json) {
  return JsonConstraint(std::make_shared<const JsonSchema>(JsonSchema::compile(parse_json(schema_json))));
}

// Most candidate tokens are refused on their first byte; the table answers that without
// copying the machine.
void JsonConstraint::update_first_bytes() {
  for (size_t b = 0; b < 256; ++b) {
    JsonMachine trial = machine_;
    first_bytes_[b] = trial.feed(static_cast<uint8_t>(b));
  }
}

size_t JsonConstraint::completion_after(std::string_view piece) const {
  if (piece.empty()) return machine_.shortest_completion();
  if (!first_bytes_[static_cast<uint8_t>(piece[0])]) return kRefused;
  JsonMachine trial = machine_;
  for (const char c : piece)
    if (!trial.feed(static_cast<uint8_t>(c))) return kRefused;
  return trial.shortest_completion();
}

void JsonConstraint::advance(std::string_view piece) {
  JsonMachine next = machine_;
  for (const char c : piece)
    if (!next.feed(static_cast<uint8_t>(c)))
      throw std::invalid_argument("json constraint: the text cannot continue with this piece");
  machine_ = next;
  update_first_bytes();
}

}  // namespace sb::engine
