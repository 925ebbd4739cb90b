#include "local_engine/json_constraint.h"

#include <stdexcept>

#include "local_engine/json_value.h"

namespace sb::engine {

JsonConstraint::JsonConstraint(std::shared_ptr<const JsonSchema> schema)
    : schema_(std::move(schema)), machine_(*schema_) {
  update_tables();
}

JsonConstraint JsonConstraint::object() {
  return JsonConstraint(std::make_shared<const JsonSchema>(JsonSchema::any_object()));
}

JsonConstraint JsonConstraint::from_schema(const std::string& schema_json) {
  return JsonConstraint(std::make_shared<const JsonSchema>(JsonSchema::compile(parse_json(schema_json))));
}

namespace {

std::bitset<256> next_bytes(const JsonMachine& machine) {
  std::bitset<256> allowed;
  for (size_t b = 0; b < 256; ++b) {
    JsonMachine trial = machine;
    allowed[b] = trial.feed(static_cast<uint8_t>(b));
  }
  return allowed;
}

}  // namespace

// Most candidate tokens are refused on their first byte, or on the second after a space;
// the tables answer that without copying the machine.
void JsonConstraint::update_tables() {
  first_bytes_ = next_bytes(machine_);
  after_space_.reset();
  JsonMachine spaced = machine_;
  if (spaced.feed(' ')) after_space_ = next_bytes(spaced);
}

size_t JsonConstraint::completion_after(std::string_view piece) const {
  if (piece.empty()) return machine_.shortest_completion();
  const auto second = piece.size() > 1 ? std::optional<uint8_t>(static_cast<uint8_t>(piece[1])) : std::nullopt;
  if (!may_start_with(static_cast<uint8_t>(piece[0]), second)) return kRefused;
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
  update_tables();
}

}  // namespace sb::engine
