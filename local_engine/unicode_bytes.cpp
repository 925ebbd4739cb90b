#include "local_engine/unicode_bytes.h"

#include <array>

#include "local_engine/unicode.h"

namespace sb::engine {

namespace {

constexpr bool stands_for_itself(int byte) {
  return (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) || (byte >= 0xAE && byte <= 0xFF);
}

// [256] code point of each byte
constexpr std::array<uint16_t, 256> make_byte_to_codepoint() {
  std::array<uint16_t, 256> table{};
  uint16_t next_free = 256;
  for (int byte = 0; byte < 256; ++byte) {
    table[byte] = stands_for_itself(byte) ? static_cast<uint16_t>(byte) : next_free++;
  }
  return table;
}
constexpr std::array<uint16_t, 256> kByteToCodepoint = make_byte_to_codepoint();

constexpr size_t kAlphabetEnd = 256 + 68;  // 68 bytes are not printable Latin-1
static_assert(kByteToCodepoint[0xAD] == kAlphabetEnd - 1, "the last remapped byte is 0xAD");

// [kAlphabetEnd] byte of each code point, -1 where none
constexpr std::array<int16_t, kAlphabetEnd> make_codepoint_to_byte() {
  std::array<int16_t, kAlphabetEnd> table{};
  for (auto& entry : table) entry = -1;
  for (int byte = 0; byte < 256; ++byte) table[kByteToCodepoint[byte]] = static_cast<int16_t>(byte);
  return table;
}
constexpr std::array<int16_t, kAlphabetEnd> kCodepointToByte = make_codepoint_to_byte();

}  // namespace

uint32_t byte_to_codepoint(uint8_t byte) { return kByteToCodepoint[byte]; }

std::optional<uint8_t> codepoint_to_byte(uint32_t cpt) {
  if (cpt >= kAlphabetEnd || kCodepointToByte[cpt] < 0) return std::nullopt;
  return static_cast<uint8_t>(kCodepointToByte[cpt]);
}

std::string encode_byte_level(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) append_utf8(byte_to_codepoint(static_cast<uint8_t>(c)), out);
  return out;
}

}  // namespace sb::engine
