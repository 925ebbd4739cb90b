#pragma once
// Code points: UTF-8 decoding/encoding and the per-code-point properties the tokenizers
// need (general category class, White_Space, simple lowercase, NFD base), backed by the
// generated tables of unicode_tables.h. All functions are pure and thread-safe.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sb::engine {

inline constexpr uint32_t kReplacementChar = 0xFFFD;

// The category class of a code point (the grouping of the reference engine: \p{L},
// \p{N}, \p{P}, \p{S}, \p{M}, \p{Z}, \p{C} and Cn) plus the White_Space property, which
// is independent of the category (e.g. TAB is a control and white space).
struct CodepointFlags {
  enum Bit : uint16_t {
    kUndefined = 0x001,    // Cn
    kNumber = 0x002,       // Nd Nl No
    kLetter = 0x004,       // Lu Ll Lt Lm Lo
    kSeparator = 0x008,    // Zs Zl Zp
    kMark = 0x010,         // Mn Mc Me
    kPunctuation = 0x020,  // Pc Pd Ps Pe Pi Pf Po
    kSymbol = 0x040,       // Sm Sc Sk So
    kControl = 0x080,      // Cc Cf Co Cs
    kWhitespace = 0x100,   // White_Space property
  };
  uint16_t bits = 0;

  bool is_undefined() const { return bits & kUndefined; }
  bool is_number() const { return bits & kNumber; }
  bool is_letter() const { return bits & kLetter; }
  bool is_separator() const { return bits & kSeparator; }
  bool is_mark() const { return bits & kMark; }
  bool is_punctuation() const { return bits & kPunctuation; }
  bool is_symbol() const { return bits & kSymbol; }
  bool is_control() const { return bits & kControl; }
  bool is_whitespace() const { return bits & kWhitespace; }
};

CodepointFlags codepoint_flags(uint32_t cpt);  // code points past U+10FFFF: undefined
uint32_t to_lower(uint32_t cpt);               // simple lowercase mapping, or cpt itself
uint32_t nfd_base(uint32_t cpt);               // first code point of the NFD form
const char* unicode_version();                 // of the tables, e.g. "14.0.0"

// Length of the UTF-8 sequence a lead byte announces (1 for ASCII and for stray
// continuation bytes, 2, 3 or 4) — the reference engine's rule for cutting text into
// characters without validating it.
size_t utf8_sequence_length(uint8_t lead);

// Decodes UTF-8; each invalid or truncated sequence becomes one U+FFFD and decoding
// resumes at the next byte (the reference engine's behaviour).
std::vector<uint32_t> decode_utf8(std::string_view text);
void append_utf8(uint32_t cpt, std::string& out);  // cpt must be <= U+10FFFF
std::string encode_utf8(std::span<const uint32_t> cpts);

// Appends `bytes` to `out` as well-formed UTF-8: each ill-formed part (a byte that cannot
// start a sequence, a bad continuation, an overlong form, a surrogate, a value past
// U+10FFFF) becomes one U+FFFD per maximal ill-formed subpart. A sequence cut short by
// the end of `bytes` is left unconsumed, unless `final`, when it becomes U+FFFD.
// Returns the number of bytes consumed.
size_t append_well_formed_utf8(std::string_view bytes, bool final, std::string& out);

}  // namespace sb::engine
