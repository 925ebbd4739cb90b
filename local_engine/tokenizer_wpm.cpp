#include "local_engine/tokenizer_wpm.h"

#include <algorithm>

#include "local_engine/unicode.h"

namespace sb::engine {

namespace {

constexpr std::string_view kWordStart = "\xE2\x96\x81";  // U+2581

// CJK ideograph blocks as BERT's basic tokenizer lists them (including its 0x2B920
// start of Extension E).
bool is_cjk_ideograph(uint32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

}  // namespace

std::vector<std::string> wpm_words(std::string_view text, bool lowercase, bool strip_accents) {
  std::vector<std::string> words(1);  // [n_words], the last one still growing
  const auto end_word = [&] {
    if (!words.back().empty()) words.emplace_back();
  };
  for (uint32_t cpt : decode_utf8(text)) {
    if (strip_accents) cpt = nfd_base(cpt);
    const CodepointFlags flags = codepoint_flags(cpt);
    if (flags.is_whitespace()) {
      end_word();
      continue;
    }
    if (cpt == 0 || cpt == kReplacementChar || flags.is_control()) continue;
    if (strip_accents && flags.is_mark()) continue;
    const uint32_t out = lowercase ? to_lower(cpt) : cpt;
    if (flags.is_punctuation() || (cpt < 0x7F && flags.is_symbol()) || is_cjk_ideograph(cpt)) {
      end_word();
      append_utf8(out, words.back());  // a word of its own
      words.emplace_back();
    } else {
      append_utf8(out, words.back());
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

void tokenize_wpm(const Vocab& vocab, std::string_view text, std::vector<TokenId>& out) {
  for (const std::string& word : wpm_words(text, vocab.lowercase(), vocab.strip_accents())) {
    const std::string marked = std::string(kWordStart) + word;
    const size_t word_start = out.size();
    // Longest vocabulary prefix at each byte position; all or nothing per word.
    for (size_t i = 0; i < marked.size();) {
      size_t j = std::min(marked.size(), i + vocab.max_token_bytes() + 1);
      TokenId id = kNoToken;
      for (; j > i; --j) {
        id = vocab.find(std::string_view(marked).substr(i, j - i));
        if (id != kNoToken) break;
      }
      if (id == kNoToken) {
        out.resize(word_start);
        break;
      }
      out.push_back(id);
      i = j;
    }
    if (out.size() == word_start) out.push_back(vocab.unk());
  }
}

}  // namespace sb::engine
