#include "policies/decision/cost_estimate.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <cstdint>

namespace sb::policies {
namespace {

// Framing the chat APIs add around each message and before the reply (OpenAI documents
// 3 + 3; the others are close).
constexpr int64_t kTokensPerMessage = 3;
constexpr int64_t kReplyPriming = 3;

enum class RunClass : uint8_t { Space, Letter, Digit, Punct, Wide };

// One table lookup per byte instead of a chain of comparisons.
constexpr std::array<RunClass, 256> kRunClass = [] {
  std::array<RunClass, 256> t{};
  for (int c = 0; c < 256; ++c) {
    RunClass k = RunClass::Punct;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') k = RunClass::Space;
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') k = RunClass::Letter;
    else if (c >= '0' && c <= '9') k = RunClass::Digit;
    else if (c >= 0x80) k = RunClass::Wide;
    t[static_cast<size_t>(c)] = k;
  }
  return t;
}();

// How far a byte continues a word: 1 for an ASCII letter, 2 for the lead of a two-byte
// sequence (accented Latin, Cyrillic, Greek), 0 when it ends the word.
constexpr std::array<uint8_t, 256> kWordStep = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[static_cast<size_t>(c)] = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? 1 : (c >= 0xC0 && c < 0xE0) ? 2 : 0;
  return t;
}();

constexpr std::array<uint8_t, 256> kCapital = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = 1;
  return t;
}();

constexpr uint64_t kHighBits = 0x8080808080808080ull;

// 0x80 in each byte of w (8 text bytes, little-endian) that is an ASCII letter, uppercase
// only with `upper`. Bytes stay below 0x80 after the masking, so the additions never carry
// into the next byte.
uint64_t ascii_letter_bytes(uint64_t w, bool upper) {
  const uint64_t x = upper ? (w & 0x7f7f7f7f7f7f7f7full) : ((w | 0x2020202020202020ull) & 0x7f7f7f7f7f7f7f7full);
  const char first = upper ? 'A' : 'a';
  const uint64_t at_least_first = x + 0x0101010101010101ull * static_cast<uint64_t>(0x80 - first);
  const uint64_t past_last = x + 0x0101010101010101ull * static_cast<uint64_t>(0x80 - (first + 26));
  return at_least_first & ~past_last & ~w & kHighBits;
}

// How many bytes of m have their high bit set (m has no other bits): one multiplication
// adds the eight 0/1 bytes into the top byte (std::popcount is a library call on baseline x86-64).
size_t count_high_bits(uint64_t m) { return static_cast<size_t>(((m >> 7) * 0x0101010101010101ull) >> 56); }

// The end of the word whose byte j - 1 is a letter (may be past n after a two-byte
// sequence cut by the end), adding its capitals from j on to `capitals`. Eight ASCII
// letters are checked at a time: word ends are where a byte-by-byte loop mispredicts.
size_t word_end(const unsigned char* p, size_t j, size_t n, size_t& capitals) {
  for (;;) {
    if (j + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + j, 8);
      const uint64_t stop = ~ascii_letter_bytes(w, false) & kHighBits;
      const uint64_t upper = ascii_letter_bytes(w, true);
      if (stop == 0) {
        capitals += count_high_bits(upper);
        j += 8;
        continue;
      }
      const int letters = std::countr_zero(stop) / 8;  // 0..7 letters before the stop
      capitals += count_high_bits(upper & ((uint64_t{1} << (8 * letters)) - 1));
      j += static_cast<size_t>(letters);
    }
    // p[j] is not an ASCII letter, or fewer than 8 bytes are left: one step at a time.
    if (j >= n) return j;
    const uint8_t step = kWordStep[p[j]];
    if (step == 0) return j;
    capitals += kCapital[p[j]];
    if (step == 2 && j + 1 < n) capitals += kCapital[p[j + 1]];
    j += step;
  }
}

// Length in bytes of the UTF-8 sequence starting with `lead` (1 for stray bytes).
size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

double price_usd(int64_t tokens, double per_million) { return static_cast<double>(tokens) * per_million / 1e6; }

}  // namespace

// Byte-level BPE vocabularies of 50k-200k entries encode a common word with its leading
// space as one token, split long words every few letters, group digits by up to three,
// give most punctuation a token, and spend about one token per CJK character and two per
// emoji. The constants were fitted against real vocabularies (policies cost tests).
int64_t estimate_text_tokens(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  double tokens = 0;
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    size_t j = i + 1;
    switch (kRunClass[c]) {
      case RunClass::Letter: {
        // Random-looking runs (keys, ids: inner capitals) split into short pieces.
        size_t inner_capitals = 0;
        j = std::min(word_end(p, j, n, inner_capitals), n);
        const double len = static_cast<double>(j - i);
        if (inner_capitals >= 2) tokens += len / 2.5;
        else tokens += len <= 7 ? 1.0 : 1.0 + (len - 7) / 4.0;
        break;
      }
      case RunClass::Digit:
        while (j < n && kRunClass[p[j]] == RunClass::Digit) ++j;
        tokens += static_cast<double>((j - i + 2) / 3);
        break;
      case RunClass::Space:
        while (j < n && kRunClass[p[j]] == RunClass::Space) ++j;
        // One space before a word is part of the word's token; other runs cost one.
        if (j - i != 1 || c != ' ') tokens += 1;
        break;
      case RunClass::Punct:
        while (j < n && p[j] == c && j - i < 4) ++j;  // "---", "**" merge
        tokens += 1;
        break;
      default: {  // RunClass::Wide
        const size_t len = utf8_length(c);
        j = i + len;
        tokens += len >= 4 ? 2.0 : len == 3 ? 1.2 : 1.0;
        break;
      }
    }
    i = j;
  }
  return static_cast<int64_t>(tokens + 0.5);
}

int64_t estimate_input_tokens(const ChatRequest& request) {
  int64_t tokens = kReplyPriming;
  for (const Message& m : request.messages) {
    tokens += kTokensPerMessage + estimate_text_tokens(m.text());
    for (const ContentPart& p : m.content)
      if (p.kind == ContentPart::Kind::ImageUrl) tokens += p.detail == "low" ? 85 : 765;  // OpenAI's tile pricing, 512x512-ish
    for (const ToolCall& call : m.tool_calls)
      tokens += estimate_text_tokens(call.name) + estimate_text_tokens(call.arguments);
  }
  for (const ToolDefinition& tool : request.tools)
    tokens += estimate_text_tokens(tool.name) + estimate_text_tokens(tool.description) +
              estimate_text_tokens(tool.parameters.dump());
  return tokens;
}

CostEstimate estimate_cost(const ChatRequest& request, int64_t remote_input_tokens, const std::string& model,
                           bool local, const config::Config& config, const LocalTokenCounter& count_local) {
  CostEstimate e;
  if (local && count_local) {
    if (auto exact = count_local(model, request)) {
      e.input_tokens = *exact;
      e.input_tokens_exact = true;
    }
  }
  if (!e.input_tokens_exact) e.input_tokens = remote_input_tokens;
  e.max_output_tokens = request.max_tokens.value_or(kDefaultMaxOutputTokens);
  e.expected_output_tokens = std::min(e.max_output_tokens, kExpectedOutputTokens);
  if (auto it = config.prices.find(model); it != config.prices.end()) {
    e.priced = true;
    const double input = price_usd(e.input_tokens, it->second.input);
    e.expected_usd = input + price_usd(e.expected_output_tokens, it->second.output);
    e.max_usd = input + price_usd(e.max_output_tokens, it->second.output);
  }
  return e;
}

nlohmann::json CostEstimate::to_json() const {
  return {{"input_tokens", input_tokens},     {"input_tokens_exact", input_tokens_exact},
          {"expected_output_tokens", expected_output_tokens}, {"max_output_tokens", max_output_tokens},
          {"priced", priced},                 {"expected_usd", expected_usd},
          {"max_usd", max_usd}};
}

}  // namespace sb::policies
