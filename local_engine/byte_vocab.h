#pragma once
// A minimal built-in tokenizer for synthetic models made where no vocab GGUF is at hand:
// a SentencePiece-style (`llama`) vocabulary of <unk>, <s>, </s>, the 256 byte tokens
// <0x00>..<0xFF> and "▁" (the space piece), so any text tokenizes (by byte fallback)
// and detokenizes back to itself.
#include <filesystem>

namespace sb::engine {

inline constexpr int kByteVocabSize = 3 + 256 + 1;

// Writes a vocab-only GGUF holding that tokenizer (the tokenizer.* keys only).
void write_byte_vocab(const std::filesystem::path& out);

}  // namespace sb::engine
