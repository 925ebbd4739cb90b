#include "local_engine/json_machine.h"

#include <algorithm>
#include <string_view>

namespace sb::engine {
namespace {

constexpr std::string_view kLiterals[] = {"true", "false", "null"};

bool is_whitespace(uint8_t b) { return b == ' ' || b == '\t' || b == '\n' || b == '\r'; }
bool is_digit(uint8_t b) { return b >= '0' && b <= '9'; }
uint64_t bit(size_t i) { return uint64_t{1} << i; }

int hex_value(uint8_t b) {
  if (is_digit(b)) return b - '0';
  if (b >= 'a' && b <= 'f') return b - 'a' + 10;
  if (b >= 'A' && b <= 'F') return b - 'A' + 10;
  return -1;
}

// The code units a \u escape can still end as, given `unit` so far and `left` digits to go.
struct UnitRange {
  uint32_t lo, hi;
};
UnitRange unit_range(uint32_t unit, uint8_t left) {
  const uint32_t span = uint32_t{1} << (4 * left);
  return {unit * span, unit * span + span - 1};
}

}  // namespace

JsonMachine::Frame JsonMachine::make_frame(Phase phase, int32_t node) {
  Frame f{};
  f.phase = phase;
  f.node = node;
  f.property = -1;
  return f;
}

JsonMachine::JsonMachine(const JsonSchema& schema) : schema_(&schema) {
  frames_[0] = make_frame(Phase::RootValue, schema.root);
  depth_ = 1;
}

JsonMachine& JsonMachine::operator=(const JsonMachine& other) {
  schema_ = other.schema_;
  depth_ = other.depth_;
  whitespace_run_ = other.whitespace_run_;
  std::copy_n(other.frames_.begin(), depth_, frames_.begin());
  return *this;
}

bool JsonMachine::push(const Frame& f) {
  if (depth_ == kMaxDepth) return false;
  frames_[depth_++] = f;
  return true;
}

bool JsonMachine::feed(uint8_t byte) {
  if (!is_whitespace(byte)) whitespace_run_ = 0;
  Frame& f = top();
  switch (f.phase) {
    case Phase::RootValue:
      return is_whitespace(byte) ? structural_whitespace() : start_value(f.node, byte, Phase::RootDone);
    case Phase::RootDone:
      return false;
    case Phase::ObjOpen:
    case Phase::ObjColon:
    case Phase::ObjValue:
    case Phase::ObjNext:
    case Phase::ObjComma:
      return object_byte(f, byte);
    case Phase::ArrOpen:
    case Phase::ArrValue:
    case Phase::ArrNext:
      return array_byte(f, byte);
    case Phase::Str:
    case Phase::StrEscape:
    case Phase::StrLowBackslash:
    case Phase::StrLowU:
    case Phase::StrUtf8:
      return string_byte(f, byte);
    case Phase::StrHex:
    case Phase::StrLowHex:
      return hex_byte(f, byte);
    case Phase::Match:
      return match_byte(f, byte);
    case Phase::NumSign:
    case Phase::NumZero:
    case Phase::NumInt:
    case Phase::NumDot:
    case Phase::NumFrac:
    case Phase::NumExp:
    case Phase::NumExpSign:
    case Phase::NumExpDigits:
      return number_byte(f, byte);
    case Phase::Literal:
      return literal_byte(f, byte);
  }
  return false;
}

bool JsonMachine::structural_whitespace() {
  if (whitespace_run_ >= kMaxWhitespaceRun) return false;
  ++whitespace_run_;
  return true;
}

bool JsonMachine::start_value(int32_t node, uint8_t byte, Phase parent_after) {
  const JsonSchemaNode& n = schema_->node(node);
  const auto allows = [&](uint8_t type) { return (n.types & type) != 0; };
  const bool room_for_container = depth_ + 2 <= kMaxDepth;
  Frame child = make_frame(Phase::Literal, node);
  child.length = 1;
  switch (byte) {
    case '{':
      if (!allows(kJsonObject) || !room_for_container) return false;
      child.phase = Phase::ObjOpen;
      break;
    case '[':
      if (!allows(kJsonArray) || !room_for_container) return false;
      child.phase = Phase::ArrOpen;
      break;
    case '"':
      if (!allows(kJsonString)) return false;
      child.phase = n.enum_values.empty() ? Phase::Str : Phase::Match;
      child.length = 0;
      child.hi = static_cast<int32_t>(n.enum_values.size());
      break;
    case 't':
    case 'f':
      if (!allows(kJsonBoolean)) return false;
      child.pending = byte == 't' ? 0 : 1;
      break;
    case 'n':
      if (!allows(kJsonNull)) return false;
      child.pending = 2;
      break;
    default:
      if (!allows(kJsonInteger) || !(byte == '-' || is_digit(byte))) return false;
      child.phase = byte == '-' ? Phase::NumSign : byte == '0' ? Phase::NumZero : Phase::NumInt;
  }
  top().phase = parent_after;
  return push(child);
}

int32_t JsonMachine::value_node(const Frame& object) const {
  const JsonSchemaNode& n = node_of(object);
  return n.closed ? n.property_nodes[static_cast<size_t>(object.property)] : JsonSchema::kAnyNode;
}

bool JsonMachine::can_close(const Frame& object) const {
  const JsonSchemaNode& n = node_of(object);
  return !n.closed || (n.required & ~object.seen) == 0;
}

bool JsonMachine::can_add_member(const Frame& object) const {
  const JsonSchemaNode& n = node_of(object);
  if (!n.closed) return true;
  const size_t count = n.property_names.size();
  const uint64_t all = count == 64 ? ~uint64_t{0} : bit(count) - 1;
  return object.seen != all;
}

bool JsonMachine::start_key(Frame& object) {
  const JsonSchemaNode& n = node_of(object);
  Frame key = make_frame(Phase::Str, object.node);
  key.is_key = true;
  if (n.closed) {
    if (!can_add_member(object)) return false;
    key.phase = Phase::Match;
    key.hi = static_cast<int32_t>(n.property_names.size());
  }
  object.phase = Phase::ObjColon;
  return push(key);
}

bool JsonMachine::object_byte(Frame& f, uint8_t byte) {
  if (is_whitespace(byte)) return structural_whitespace();
  switch (f.phase) {
    case Phase::ObjOpen:
      if (byte == '"') return start_key(f);
      break;
    case Phase::ObjComma:
      return byte == '"' && start_key(f);
    case Phase::ObjColon:
      if (byte != ':') return false;
      f.phase = Phase::ObjValue;
      return true;
    case Phase::ObjValue:
      return start_value(value_node(f), byte, Phase::ObjNext);
    case Phase::ObjNext:
      if (byte == ',') {
        if (!can_add_member(f)) return false;
        f.phase = Phase::ObjComma;
        f.property = -1;
        return true;
      }
      break;
    default:
      return false;
  }
  if (byte != '}' || !can_close(f)) return false;
  pop();
  return true;
}

bool JsonMachine::array_byte(Frame& f, uint8_t byte) {
  if (is_whitespace(byte)) return structural_whitespace();
  const bool closes = byte == ']' && f.phase != Phase::ArrValue;
  if (closes) {
    pop();
    return true;
  }
  if (f.phase == Phase::ArrNext) {
    if (byte != ',') return false;
    f.phase = Phase::ArrValue;
    return true;
  }
  return start_value(node_of(f).items, byte, Phase::ArrNext);
}

bool JsonMachine::string_byte(Frame& f, uint8_t byte) {
  switch (f.phase) {
    case Phase::Str:
      if (byte == '"') {
        pop();
      } else if (byte == '\\') {
        f.phase = Phase::StrEscape;
      } else if (byte < 0x20) {
        return false;
      } else if (byte >= 0x80) {
        // UTF-8 lead byte: how many continuation bytes follow and the range of the first
        // (which excludes overlong forms, surrogates and code points above U+10FFFF).
        if (byte >= 0xC2 && byte <= 0xDF) {
          f.pending = 1, f.next_lo = 0x80, f.next_hi = 0xBF;
        } else if (byte >= 0xE0 && byte <= 0xEF) {
          f.pending = 2, f.next_lo = byte == 0xE0 ? 0xA0 : 0x80, f.next_hi = byte == 0xED ? 0x9F : 0xBF;
        } else if (byte >= 0xF0 && byte <= 0xF4) {
          f.pending = 3, f.next_lo = byte == 0xF0 ? 0x90 : 0x80, f.next_hi = byte == 0xF4 ? 0x8F : 0xBF;
        } else {
          return false;
        }
        f.phase = Phase::StrUtf8;
      }
      return true;
    case Phase::StrEscape:
      if (byte == 'u') {
        f.phase = Phase::StrHex, f.pending = 4, f.unit = 0;
        return true;
      }
      if (std::string_view("\"\\/bfnrt").find(static_cast<char>(byte)) == std::string_view::npos) return false;
      f.phase = Phase::Str;
      return true;
    case Phase::StrUtf8:
      if (byte < f.next_lo || byte > f.next_hi) return false;
      f.next_lo = 0x80, f.next_hi = 0xBF;
      if (--f.pending == 0) f.phase = Phase::Str;
      return true;
    case Phase::StrLowBackslash:
      if (byte != '\\') return false;
      f.phase = Phase::StrLowU;
      return true;
    case Phase::StrLowU:
      if (byte != 'u') return false;
      f.phase = Phase::StrLowHex, f.pending = 4, f.unit = 0;
      return true;
    default:
      return false;
  }
}

// \uXXXX: a high surrogate (D800-DBFF) must be followed by \u and a low one (DC00-DFFF),
// and a low one may not stand alone. A digit is refused as soon as every unit it could
// still lead to is refused.
bool JsonMachine::hex_byte(Frame& f, uint8_t byte) {
  const int digit = hex_value(byte);
  if (digit < 0) return false;
  const uint32_t unit = f.unit * 16 + static_cast<uint32_t>(digit);
  const auto left = static_cast<uint8_t>(f.pending - 1);
  const UnitRange r = unit_range(unit, left);
  const bool low_pair = f.phase == Phase::StrLowHex;
  if (!low_pair && r.lo >= 0xDC00 && r.hi <= 0xDFFF) return false;
  if (low_pair && (r.hi < 0xDC00 || r.lo > 0xDFFF)) return false;
  f.unit = unit;
  f.pending = left;
  if (left == 0) f.phase = !low_pair && unit >= 0xD800 && unit <= 0xDBFF ? Phase::StrLowBackslash : Phase::Str;
  return true;
}

// Keys of closed objects and enum strings: the bytes must spell one of the sorted names
// (escaped bodies). [lo, hi) are the names that begin with the `length` bytes so far; the
// shortest sorts first, so the one the closing quote would complete is names[lo].
bool JsonMachine::match_byte(Frame& f, uint8_t byte) {
  const JsonSchemaNode& n = node_of(f);
  const auto& names = f.is_key ? n.property_names : n.enum_values;
  const auto name_at = [&](int32_t i) -> const std::string& { return names[static_cast<size_t>(i)]; };
  const auto unseen = [&](int32_t i) { return !f.is_key || !(parent().seen & bit(static_cast<size_t>(i))); };
  if (byte == '"' && f.lo < f.hi && name_at(f.lo).size() == f.length) {
    if (!unseen(f.lo)) return false;
    if (f.is_key) {
      parent().property = f.lo;
      parent().seen |= bit(static_cast<size_t>(f.lo));
    }
    pop();
    return true;
  }
  const auto continues = [&](int32_t i) {
    const std::string& name = name_at(i);
    return name.size() > f.length && static_cast<uint8_t>(name[f.length]) == byte;
  };
  int32_t lo = f.lo;
  while (lo < f.hi && !continues(lo)) ++lo;
  int32_t hi = lo;
  bool any_unseen = false;
  for (; hi < f.hi && continues(hi); ++hi) any_unseen = any_unseen || unseen(hi);
  if (!any_unseen) return false;
  f.lo = lo, f.hi = hi;
  ++f.length;
  return true;
}

bool JsonMachine::is_complete_number(Phase phase) {
  return phase == Phase::NumZero || phase == Phase::NumInt || phase == Phase::NumFrac ||
         phase == Phase::NumExpDigits;
}

bool JsonMachine::number_byte(Frame& f, uint8_t byte) {
  const bool fractions = (node_of(f).types & kJsonNumber) != 0;
  const bool digit = is_digit(byte);
  const bool exponent = fractions && (byte == 'e' || byte == 'E');
  Phase next = f.phase;
  bool valid = true;
  switch (f.phase) {
    case Phase::NumSign: next = byte == '0' ? Phase::NumZero : Phase::NumInt, valid = digit; break;
    case Phase::NumInt:
      if (digit) break;
      [[fallthrough]];
    case Phase::NumZero:
      next = exponent ? Phase::NumExp : Phase::NumDot, valid = exponent || (fractions && byte == '.');
      break;
    case Phase::NumDot: next = Phase::NumFrac, valid = digit; break;
    case Phase::NumFrac: next = digit ? Phase::NumFrac : Phase::NumExp, valid = digit || exponent; break;
    case Phase::NumExp:
      next = digit ? Phase::NumExpDigits : Phase::NumExpSign, valid = digit || byte == '+' || byte == '-';
      break;
    case Phase::NumExpSign:
    case Phase::NumExpDigits: next = Phase::NumExpDigits, valid = digit; break;
    default: valid = false;
  }
  if (valid) {
    if (f.length + 1 + (is_complete_number(next) ? 0 : 1) > kMaxNumberBytes) return false;
    f.phase = next;
    ++f.length;
    return true;
  }
  if (!is_complete_number(f.phase)) return false;
  pop();  // the byte ends the number: the enclosing value reads it
  return feed(byte);
}

bool JsonMachine::literal_byte(Frame& f, uint8_t byte) {
  const std::string_view word = kLiterals[f.pending];
  if (static_cast<char>(byte) != word[f.length]) return false;
  if (++f.length == word.size()) pop();
  return true;
}

bool JsonMachine::complete() const {
  if (depth_ == 1) return top().phase == Phase::RootDone;
  return depth_ == 2 && is_complete_number(top().phase);
}

bool JsonMachine::finished() const { return depth_ == 1 && top().phase == Phase::RootDone; }

size_t JsonMachine::closing_length(const Frame& object, uint64_t seen, bool after_member) const {
  const JsonSchemaNode& n = node_of(object);
  size_t length = 1;  // '}'
  bool missing = false;
  if (n.closed)
    for (size_t i = 0; i < n.property_names.size(); ++i)
      if ((n.required & bit(i)) && !(seen & bit(i))) {
        length += schema_->member_length(n, i) + 1;  // with its comma
        missing = true;
      }
  return missing && !after_member ? length - 1 : length;
}

size_t JsonMachine::match_completion(size_t index) const {
  const Frame& f = frames_[index];
  const JsonSchemaNode& n = node_of(f);
  const auto& names = f.is_key ? n.property_names : n.enum_values;
  size_t best = SIZE_MAX;
  for (auto i = static_cast<size_t>(f.lo); i < static_cast<size_t>(f.hi); ++i) {
    size_t length = names[i].size() - f.length + 1;  // rest of the name and its quote
    if (f.is_key) {
      const Frame& object = frames_[index - 1];
      if (object.seen & bit(i)) continue;
      length += 1 + schema_->node(n.property_nodes[i]).min_length + closing_length(object, object.seen | bit(i), true);
    }
    best = std::min(best, length);
  }
  return best;
}

size_t JsonMachine::frame_completion(size_t index) const {
  const Frame& f = frames_[index];
  const JsonSchemaNode& n = node_of(f);
  const auto min_length = [&](int32_t node) { return schema_->node(node).min_length; };
  switch (f.phase) {
    case Phase::RootValue: return n.min_length;
    case Phase::RootDone: return 0;
    case Phase::ObjOpen: return closing_length(f, f.seen, false);
    case Phase::ObjComma: {
      if (!n.closed) return 2 + 1 + min_length(JsonSchema::kAnyNode) + 1;  // "":0}
      if (n.required & ~f.seen) return closing_length(f, f.seen, true) - 1;  // comma written
      size_t best = SIZE_MAX;
      for (size_t i = 0; i < n.property_names.size(); ++i)
        if (!(f.seen & bit(i))) best = std::min(best, schema_->member_length(n, i) + 1);
      return best;
    }
    case Phase::ObjColon:
      if (n.closed && f.property < 0) return 0;  // the key's Match frame counts the rest
      return 1 + min_length(value_node(f)) + closing_length(f, f.seen, true);
    case Phase::ObjValue: return min_length(value_node(f)) + closing_length(f, f.seen, true);
    case Phase::ObjNext: return closing_length(f, f.seen, true);
    case Phase::ArrOpen:
    case Phase::ArrNext: return 1;
    case Phase::ArrValue: return min_length(n.items) + 1;
    case Phase::Str: return 1;
    case Phase::StrEscape: return 2;
    case Phase::StrUtf8:
    case Phase::StrLowHex: return f.pending + 1u;
    case Phase::StrHex: {
      const UnitRange r = unit_range(f.unit, f.pending);
      const bool must_pair = r.lo >= 0xD800 && r.hi <= 0xDBFF;
      return f.pending + (must_pair ? 6u : 0u) + 1u;
    }
    case Phase::StrLowBackslash: return 7;  // \uDC00"
    case Phase::StrLowU: return 6;
    case Phase::Match: return match_completion(index);
    case Phase::NumSign:
    case Phase::NumDot:
    case Phase::NumExp:
    case Phase::NumExpSign: return 1;
    case Phase::NumZero:
    case Phase::NumInt:
    case Phase::NumFrac:
    case Phase::NumExpDigits: return 0;
    case Phase::Literal: return kLiterals[f.pending].size() - f.length;
  }
  return 0;
}

size_t JsonMachine::shortest_completion() const {
  size_t total = 0;
  for (size_t i = 0; i < depth_; ++i) total += frame_completion(i);
  return total;
}

}  // namespace sb::engine
