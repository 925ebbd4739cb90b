#include "policies/decision/cost_estimate.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace sb::policies {
namespace {

// Framing the chat APIs add around each message and before the reply (OpenAI documents
// 3 + 3; the others are close).
constexpr int64_t kTokensPerMessage = 3;
constexpr int64_t kReplyPriming = 3;

enum CharClass : uint8_t { kSpace, kLetter, kDigit, kPunct, kWide };

// One table lookup per byte instead of a chain of comparisons.
constexpr std::array<uint8_t, 256> kCharClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t k = kPunct;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') k = kSpace;
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') k = kLetter;
    else if (c >= '0' && c <= '9') k = kDigit;
    else if (c >= 0x80) k = kWide;
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

constexpr std::array<uint8_t, 256> kUpper = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = 1;
  return t;
}();

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
    switch (kCharClass[c]) {
      case kLetter: {
        // Random-looking runs (keys, ids: inner capitals) split into short pieces.
        size_t inner_capitals = 0;
        while (j < n) {
          const uint8_t step = kWordStep[p[j]];
          if (step == 0) break;
          inner_capitals += kUpper[p[j]];
          if (step == 2 && j + 1 < n) inner_capitals += kUpper[p[j + 1]];
          j += step;
        }
        j = std::min(j, n);
        const double len = static_cast<double>(j - i);
        if (inner_capitals >= 2) tokens += len / 2.5;
        else tokens += len <= 7 ? 1.0 : 1.0 + (len - 7) / 4.0;
        break;
      }
      case kDigit:
        while (j < n && kCharClass[p[j]] == kDigit) ++j;
        tokens += static_cast<double>((j - i + 2) / 3);
        break;
      case kSpace:
        while (j < n && kCharClass[p[j]] == kSpace) ++j;
        // One space before a word is part of the word's token; other runs cost one.
        if (j - i != 1 || c != ' ') tokens += 1;
        break;
      case kPunct:
        while (j < n && p[j] == c && j - i < 4) ++j;  // "---", "**" merge
        tokens += 1;
        break;
      default: {  // kWide
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
