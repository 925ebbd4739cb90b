#pragma once
// Usage when the provider does not report it. Local models count their tokens exactly, and
// cloud APIs report usage in their answers; when an answer carries none (a stream cut before
// its usage chunk, a server that omits it) the ledger books an estimate instead and flags the
// booking `estimated`: about 4 bytes of text per token (the usual ratio of BPE tokenizers on
// English), plus a small per-message overhead for the chat framing.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/chat.h"

namespace sb::accounting {

// The output budget a reservation assumes when the client sets no max_tokens.
inline constexpr int64_t kDefaultMaxOutputTokens = 4096;

int64_t estimate_tokens(std::string_view text);  // ceil(bytes / 4)
int64_t estimate_prompt_tokens(const ChatRequest& request);

struct ResolvedUsage {
  Usage usage;
  bool estimated = false;  // true when `usage` is the estimate, not the provider's report
};

// The provider's usage when it reported one; else the estimate for the request and the text
// generated so far.
ResolvedUsage resolve_usage(const std::optional<Usage>& reported, const ChatRequest& request,
                            std::string_view generated_text);

}  // namespace sb::accounting
