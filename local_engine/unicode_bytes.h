#pragma once
// GPT-2's byte-level alphabet: every byte 0..255 stands for one printable code point
// (printable Latin-1 bytes for themselves, the others for U+0100.. in byte order), so
// byte-level BPE vocabularies hold arbitrary bytes as ordinary UTF-8 text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb::engine {

uint32_t byte_to_codepoint(uint8_t byte);
std::optional<uint8_t> codepoint_to_byte(uint32_t cpt);  // nullopt: not in the alphabet

// Each byte of `bytes` as the UTF-8 of its code point.
std::string encode_byte_level(std::string_view bytes);

}  // namespace sb::engine
