#include "local_engine/tokenizer_special.h"

namespace sb::engine {

namespace {

bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Cuts every occurrence of `special` out of the raw fragment `raw` of `text`.
void cut_fragment(const Vocab& vocab, TokenId special, std::string_view text, TextFragment raw,
                  std::vector<TextFragment>& out) {
  const std::string& needle = vocab.text(special);
  const bool lstrip = vocab.has_attr(special, kAttrLstrip);
  const bool rstrip = vocab.has_attr(special, kAttrRstrip);
  size_t begin = raw.offset;
  const size_t end = raw.offset + raw.length;
  while (begin < end) {
    const size_t match = text.substr(0, end).find(needle, begin);
    if (match == std::string_view::npos) {
      out.push_back({kNoToken, begin, end - begin});
      return;
    }
    size_t left_end = match;
    if (lstrip) {
      while (left_end > begin && is_ascii_space(text[left_end - 1])) --left_end;
    }
    if (left_end > begin) out.push_back({kNoToken, begin, left_end - begin});
    out.push_back({special, 0, 0});
    begin = match + needle.size();
    if (rstrip) {
      while (begin < end && is_ascii_space(text[begin])) ++begin;
    }
  }
}

}  // namespace

std::vector<TextFragment> split_special_tokens(const Vocab& vocab, std::string_view text,
                                               bool parse_special) {
  std::vector<TextFragment> fragments;  // [n_fragments] in text order
  if (text.empty()) return fragments;
  fragments.push_back({kNoToken, 0, text.size()});
  std::vector<TextFragment> next;  // [n_fragments after this special token]
  for (TokenId special : vocab.special_tokens()) {
    if (!parse_special && vocab.has_attr(special, kAttrControl | kAttrUnknown)) continue;
    next.clear();
    for (const TextFragment& fragment : fragments) {
      if (fragment.is_text()) {
        cut_fragment(vocab, special, text, fragment, next);
      } else {
        next.push_back(fragment);
      }
    }
    fragments.swap(next);
  }
  return fragments;
}

}  // namespace sb::engine
