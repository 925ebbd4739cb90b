#pragma once
// Bounds on what a client may ask for, shared by every API the gateway serves.
#include <cstdint>

namespace sb {

// The largest max_tokens / max_completion_tokens a request may set: above every model's output
// limit, and small enough that token and cost arithmetic on it cannot overflow.
inline constexpr int64_t kMaxOutputTokensLimit = 1'000'000;

}  // namespace sb
