#include "local_engine/tokenizer.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "local_engine/gguf.h"
#include "local_engine/tokenizer_bpe.h"
#include "local_engine/tokenizer_special.h"
#include "local_engine/tokenizer_spm.h"
#include "local_engine/tokenizer_wpm.h"
#include "local_engine/unicode.h"
#include "local_engine/unicode_bytes.h"

namespace sb::engine {

namespace {

constexpr std::string_view kSpaceMarker = "\xE2\x96\x81";  // U+2581, SentencePiece's space

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (size_t hit = text.find(from); hit != std::string_view::npos; hit = text.find(from, pos)) {
    out.append(text.substr(pos, hit - pos)).append(to);
    pos = hit + from.size();
  }
  out.append(text.substr(pos));
  return out;
}

// "<0xXX>" -> the byte (0 for a malformed byte token, as the reference's strtol gives)
uint8_t byte_of_byte_token(const std::string& text) {
  if (text.size() < 5) return 0;
  const std::string hex = text.substr(3, 2);
  return static_cast<uint8_t>(std::strtol(hex.c_str(), nullptr, 16));
}

// Byte-level BPE text back to bytes; code points outside GPT-2's alphabet are written
// as the reference does: "[UNK_BYTE_0x<utf-8 hex><token text>]".
std::string decode_byte_level(const std::string& text) {
  std::string out;
  for (uint32_t cpt : decode_utf8(text)) {
    if (const auto byte = codepoint_to_byte(cpt)) {
      out.push_back(static_cast<char>(*byte));
      continue;
    }
    std::string utf8;
    append_utf8(cpt, utf8);
    out += "[UNK_BYTE_0x";
    for (char c : utf8) {
      char hex[3];
      std::snprintf(hex, sizeof(hex), "%02x", static_cast<uint8_t>(c));
      out += hex;
    }
    out += text + "]";
  }
  return out;
}

// The reference's clean_up_tokenization_spaces, pass for pass (in place, as it reads
// characters the earlier writes may have changed).
void clean_up_spaces(std::string& s) {
  // " ?", " !", " .", " ," -> drop the space
  size_t total = s.empty() ? 0 : 1;
  for (size_t i = 1; i < s.size(); ++i) {
    const char x = s[i];
    if (s[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) --total;
    s[total++] = x;
  }
  s.resize(total);
  // " ' " -> "'"
  total = s.empty() ? 0 : 1;
  for (size_t i = 1; i < s.size(); ++i) {
    const char x = s[i];
    if (x == '\'' && i + 1 < s.size() && s[i - 1] == ' ' && s[i + 1] == ' ') {
      --total;
      s[++i] = '\0';
    }
    s[total++] = x;
  }
  s.resize(total);
  // " 's", " 'm", " 're", " 've" -> drop the space (" 't", " 'd", " 'll" keep it)
  total = s.empty() ? 0 : 1;
  for (size_t i = 1; i < s.size(); ++i) {
    const char x = s[i];
    if (s[i - 1] == ' ' && x == '\'' && i + 1 < s.size()) {
      const char x1 = s[i + 1];
      if (x1 == 's' || x1 == 'm') {
        --total;
      } else if (i + 2 < s.size()) {
        const char x2 = s[i + 2];
        if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) --total;
      }
    }
    s[total++] = x;
  }
  s.resize(total);
}

}  // namespace

Tokenizer::Tokenizer(Vocab vocab) : vocab_(std::move(vocab)) {
  pieces_.reserve(vocab_.n_tokens());
  for (TokenId id = 0; id < static_cast<TokenId>(vocab_.n_tokens()); ++id)
    pieces_.push_back(render_piece(id));
}

Tokenizer Tokenizer::from_gguf(const GgufFile& file) { return Tokenizer(Vocab::from_gguf(file)); }

std::string Tokenizer::render_piece(TokenId id) const {
  const std::string& text = vocab_.text(id);
  if (vocab_.has_attr(id, kAttrUnknown | kAttrControl | kAttrUserDefined)) return text;
  if (vocab_.has_attr(id, kAttrNormal)) {
    return vocab_.type() == VocabType::Bpe ? decode_byte_level(text) : replace_all(text, kSpaceMarker, " ");
  }
  if (vocab_.has_attr(id, kAttrByte)) return std::string(1, static_cast<char>(byte_of_byte_token(text)));
  return {};  // unused / undefined tokens render as nothing
}

std::vector<TokenId> Tokenizer::tokenize(std::string_view text, bool add_special, bool parse_special) const {
  std::vector<TokenId> out;
  const auto fragments = split_special_tokens(vocab_, text, parse_special);
  const bool with_bos = add_special && (vocab_.type() == VocabType::Wpm || vocab_.add_bos());
  if (with_bos) out.push_back(vocab_.bos());

  bool after_special = true;  // SentencePiece prefixes a space to text at the start or after a special token
  for (const TextFragment& fragment : fragments) {
    if (!fragment.is_text()) {
      out.push_back(fragment.token);
      after_special = true;
      continue;
    }
    const std::string_view raw = text.substr(fragment.offset, fragment.length);
    switch (vocab_.type()) {
      case VocabType::Spm: {
        std::string prefixed;
        if (vocab_.add_space_prefix() && after_special) prefixed = " ";
        prefixed.append(raw);
        tokenize_spm(vocab_, replace_all(prefixed, " ", kSpaceMarker), out);
        break;
      }
      case VocabType::Bpe: tokenize_bpe(vocab_, raw, out); break;
      case VocabType::Wpm: tokenize_wpm(vocab_, raw, out); break;
    }
    after_special = false;
  }

  if (add_special && vocab_.type() == VocabType::Wpm) {
    out.push_back(vocab_.sep());
  } else if (add_special && vocab_.add_eos()) {
    out.push_back(vocab_.eos());
  }
  return out;
}

std::string_view Tokenizer::token_to_piece(TokenId id, bool special) const {
  if (id < 0 || static_cast<size_t>(id) >= pieces_.size()) {
    throw std::out_of_range("token id " + std::to_string(id) + " is outside the vocabulary of " +
                            std::to_string(pieces_.size()) + " tokens");
  }
  if (!special && vocab_.has_attr(id, kAttrUnknown | kAttrControl)) return {};
  return pieces_[static_cast<size_t>(id)];
}

std::string Tokenizer::detokenize(std::span<const TokenId> tokens, bool remove_special,
                                  bool unparse_special) const {
  bool strip_space = vocab_.add_space_prefix();
  if (remove_special && vocab_.add_bos() && !tokens.empty() && tokens.front() == vocab_.bos()) {
    strip_space = false;
    tokens = tokens.subspan(1);
  }
  if (remove_special && vocab_.add_eos() && !tokens.empty() && tokens.back() == vocab_.eos()) {
    tokens = tokens.first(tokens.size() - 1);
  }
  std::string text;
  for (TokenId id : tokens) {
    std::string_view piece = token_to_piece(id, unparse_special);
    if (strip_space && !piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    strip_space = false;
    text.append(piece);
  }
  if (vocab_.clean_spaces()) clean_up_spaces(text);
  return text;
}

}  // namespace sb::engine
