#pragma once
// The pushdown automaton behind JsonConstraint: reads a JSON text byte by byte, checked
// against a JsonSchema, and always knows whether the bytes so far can still be completed
// into an accepted value and how many bytes that takes at least.
//
// The stack holds one frame per value being read (root, objects, arrays, then the string,
// number or literal under the cursor). A frame is small and trivially copyable and a copy
// duplicates only the used part of the stack, so trying a token on a copy is cheap.
// Every accepted prefix can be completed (the automaton has no dead ends): a byte is
// refused when no completion would follow it.
#include <array>
#include <cstddef>
#include <cstdint>

#include "local_engine/json_schema.h"
#include "local_engine/json_value.h"

namespace sb::engine {

class JsonMachine {
 public:
  // Frames (root, containers, the scalar under the cursor). A container opens only with
  // room for a frame above it, so every open container can still be closed; any value a
  // schema (nested at most kMaxJsonDepth) describes fits.
  static constexpr size_t kMaxDepth = kMaxJsonDepth + 8;
  static constexpr uint16_t kMaxNumberBytes = 24;  // a longer number is refused
  static constexpr int kMaxWhitespaceRun = 16;    // between tokens of the JSON grammar

  explicit JsonMachine(const JsonSchema& schema);
  JsonMachine(const JsonMachine& other) { *this = other; }
  JsonMachine& operator=(const JsonMachine& other);

  // Appends a byte; false (and the machine must be discarded) when the text would no
  // longer be a prefix of an accepted value.
  bool feed(uint8_t byte);

  // The text is one whole accepted value (a top-level number may still grow).
  bool complete() const;
  // complete() and no byte may follow.
  bool finished() const;
  // Bytes at least that complete the value ("" -> 0 when complete()).
  size_t shortest_completion() const;

 private:
  enum class Phase : uint8_t {
    RootValue, RootDone,
    ObjOpen, ObjColon, ObjValue, ObjNext, ObjComma,
    ArrOpen, ArrValue, ArrNext,
    Str, StrEscape, StrHex, StrLowBackslash, StrLowU, StrLowHex, StrUtf8,
    Match,
    NumSign, NumZero, NumInt, NumDot, NumFrac, NumExp, NumExpSign, NumExpDigits,
    Literal,
  };

  // Trivially constructible so that a JsonMachine copy touches only the used frames;
  // make_frame() gives a zeroed one.
  struct Frame {
    Phase phase;
    bool is_key;      // a string or Match frame reading an object key
    uint8_t pending;  // StrHex/StrLowHex: digits left; StrUtf8: bytes left; Literal: which
    uint8_t next_lo;  // StrUtf8: allowed range of the next byte
    uint8_t next_hi;
    uint16_t length;  // Number: bytes read; Literal, Match: bytes matched
    int32_t node;     // schema node of this value (the object's node for a key)
    int32_t lo, hi;   // Match: candidate range of the sorted name list
    int32_t property; // Obj: property whose value comes next (closed objects), or -1
    uint32_t unit;    // StrHex/StrLowHex: code unit so far
    uint64_t seen;    // Obj: bit i set once property i is written (closed objects)
  };
  static Frame make_frame(Phase phase, int32_t node);
  static bool is_complete_number(Phase phase);  // the digits so far form a number

  Frame& top() { return frames_[depth_ - 1]; }
  const Frame& top() const { return frames_[depth_ - 1]; }
  Frame& parent() { return frames_[depth_ - 2]; }
  const JsonSchemaNode& node_of(const Frame& f) const { return schema_->node(f.node); }
  bool push(const Frame& f);
  void pop() { --depth_; }

  bool structural_whitespace();
  bool start_value(int32_t node, uint8_t byte, Phase parent_after);
  bool start_key(Frame& object);
  bool object_byte(Frame& f, uint8_t byte);
  bool array_byte(Frame& f, uint8_t byte);
  bool string_byte(Frame& f, uint8_t byte);
  bool hex_byte(Frame& f, uint8_t byte);
  bool match_byte(Frame& f, uint8_t byte);
  bool number_byte(Frame& f, uint8_t byte);
  bool literal_byte(Frame& f, uint8_t byte);

  int32_t value_node(const Frame& object) const;  // schema of the value after the key
  bool can_close(const Frame& object) const;
  bool can_add_member(const Frame& object) const;
  // Bytes to write the object's missing required members and '}' (with a comma before
  // each member when `after_member`).
  size_t closing_length(const Frame& object, uint64_t seen, bool after_member) const;
  size_t frame_completion(size_t index) const;
  size_t match_completion(size_t index) const;

  const JsonSchema* schema_;
  std::array<Frame, kMaxDepth> frames_;
  size_t depth_ = 0;
  int whitespace_run_ = 0;
};

}  // namespace sb::engine
