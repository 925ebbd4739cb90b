#pragma once
// How many tokens a text is in the byte-level BPE vocabularies of the cloud APIs
// (50k-200k entries), without a vocabulary: a fixed rule per run of characters, calibrated
// against real vocabularies (tests/policies/cost_estimate_test.cpp):
//  - a run of ASCII letters (a two-byte UTF-8 letter after a letter continues it) is one
//    token up to 7 bytes and a quarter token per byte after that; a run with two or more
//    capitals after its first byte (keys, ids) is 0.4 token per byte;
//  - digits group by three; a run of identical punctuation merges up to four;
//  - a run of spaces, tabs and line breaks is one token, except a single space (it belongs
//    to the next word's token);
//  - other characters: 1 token (two-byte), 1.2 (three-byte, CJK), 2 (four-byte, emoji).
// The sum is rounded to the nearest integer. Continuation bytes without a lead (invalid
// UTF-8) cost nothing.
#include <cstdint>
#include <string_view>

namespace sb::policies {

int64_t estimate_text_tokens(std::string_view text);

}  // namespace sb::policies
