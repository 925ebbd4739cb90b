#include "local_engine/unicode.h"

#include <algorithm>

#include "local_engine/unicode_tables.h"

namespace sb::engine {

namespace {

constexpr uint32_t kMaxCodepoint = 0x10FFFF;

bool is_continuation(uint8_t byte) { return (byte & 0xC0) == 0x80; }

// Decodes one sequence at text[offset] the way the reference engine does (lead byte
// decides the length, continuation bytes must be 10xxxxxx, no overlong or surrogate
// checks); returns false when the sequence is invalid or truncated.
bool decode_one(std::string_view text, size_t& offset, uint32_t& cpt) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[offset + i]); };
  const size_t len = utf8_sequence_length(byte(0));
  if (len == 1) {
    if (byte(0) >= 0x80) return false;  // stray continuation byte
    cpt = byte(0);
    offset += 1;
    return true;
  }
  if (byte(0) >= 0xF8 || offset + len > text.size()) return false;
  uint32_t value = byte(0) & (0x7F >> len);
  for (size_t i = 1; i < len; ++i) {
    if (!is_continuation(byte(i))) return false;
    value = (value << 6) | (byte(i) & 0x3F);
  }
  if (value > kMaxCodepoint) return false;
  cpt = value;
  offset += len;
  return true;
}

// The range the second byte of a well-formed sequence must lie in, by lead byte
// (Unicode Table 3-7); {0, 0} when the lead byte cannot start a multi-byte sequence.
struct ByteRange {
  uint8_t lo;
  uint8_t hi;
};
ByteRange second_byte_range(uint8_t lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return {0x80, 0xBF};
  if (lead == 0xE0) return {0xA0, 0xBF};
  if (lead == 0xED) return {0x80, 0x9F};
  if (lead >= 0xE1 && lead <= 0xEF) return {0x80, 0xBF};
  if (lead == 0xF0) return {0x90, 0xBF};
  if (lead >= 0xF1 && lead <= 0xF3) return {0x80, 0xBF};
  if (lead == 0xF4) return {0x80, 0x8F};
  return {0, 0};
}

}  // namespace

CodepointFlags codepoint_flags(uint32_t cpt) {
  if (cpt > kMaxCodepoint) return CodepointFlags{CodepointFlags::kUndefined};
  const auto runs = unicode_tables::flag_runs();
  const auto it = std::upper_bound(runs.begin(), runs.end(), cpt,
                                   [](uint32_t c, const unicode_tables::FlagRun& r) { return c < r.first; });
  return CodepointFlags{std::prev(it)->flags};
}

uint32_t to_lower(uint32_t cpt) {
  const auto map = unicode_tables::lowercase();
  const auto it =
      std::lower_bound(map.begin(), map.end(), cpt,
                       [](const unicode_tables::CaseMapping& m, uint32_t c) { return m.from < c; });
  return (it != map.end() && it->from == cpt) ? it->to : cpt;
}

uint32_t nfd_base(uint32_t cpt) {
  const auto ranges = unicode_tables::nfd_base();
  const auto it =
      std::upper_bound(ranges.begin(), ranges.end(), cpt,
                       [](uint32_t c, const unicode_tables::NfdBaseRange& r) { return c < r.first; });
  if (it == ranges.begin()) return cpt;
  const auto& range = *std::prev(it);
  return cpt <= range.last ? range.base : cpt;
}

const char* unicode_version() { return unicode_tables::kUnicodeVersion; }

size_t utf8_sequence_length(uint8_t lead) {
  static constexpr uint8_t kByHighNibble[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  return kByHighNibble[lead >> 4];
}

std::vector<uint32_t> decode_utf8(std::string_view text) {
  std::vector<uint32_t> cpts;
  cpts.reserve(text.size());
  size_t offset = 0;
  while (offset < text.size()) {
    uint32_t cpt = 0;
    if (decode_one(text, offset, cpt)) {
      cpts.push_back(cpt);
    } else {
      cpts.push_back(kReplacementChar);
      offset += 1;
    }
  }
  return cpts;
}

void append_utf8(uint32_t cpt, std::string& out) {
  if (cpt < 0x80) {
    out.push_back(static_cast<char>(cpt));
  } else if (cpt < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cpt >> 6)));
    out.push_back(static_cast<char>(0x80 | (cpt & 0x3F)));
  } else if (cpt < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cpt >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cpt >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cpt & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cpt >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cpt >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cpt >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cpt & 0x3F)));
  }
}

std::string encode_utf8(std::span<const uint32_t> cpts) {
  std::string out;
  out.reserve(cpts.size());
  for (uint32_t cpt : cpts) append_utf8(cpt, out);
  return out;
}

size_t append_well_formed_utf8(std::string_view bytes, bool final, std::string& out) {
  size_t i = 0;
  while (i < bytes.size()) {
    const auto lead = static_cast<uint8_t>(bytes[i]);
    if (lead < 0x80) {
      out.push_back(static_cast<char>(lead));
      i += 1;
      continue;
    }
    const ByteRange second = second_byte_range(lead);
    if (second.hi == 0) {  // cannot start a sequence
      append_utf8(kReplacementChar, out);
      i += 1;
      continue;
    }
    const size_t len = utf8_sequence_length(lead);
    size_t n = 1;  // bytes of the sequence that are well-formed so far
    while (n < len && i + n < bytes.size()) {
      const auto b = static_cast<uint8_t>(bytes[i + n]);
      const bool ok = (n == 1) ? (b >= second.lo && b <= second.hi) : is_continuation(b);
      if (!ok) break;
      ++n;
    }
    if (n == len) {
      out.append(bytes.substr(i, len));
    } else if (i + n == bytes.size() && !final) {
      return i;  // incomplete: wait for more bytes
    } else {
      append_utf8(kReplacementChar, out);  // maximal ill-formed subpart
    }
    i += n;
  }
  return i;
}

}  // namespace sb::engine
