#include "local_engine/tokenizer_merge.h"

#include <algorithm>
#include <queue>

#include "local_engine/unicode.h"

namespace sb::engine {

namespace {

// A run of text[offset, offset + len); len == 0 once merged into its left neighbour.
struct MergeSymbol {
  int prev = -1;
  int next = -1;
  size_t offset = 0;
  size_t len = 0;
};

struct MergeCandidate {
  int left = 0;
  int right = 0;
  double cost = 0.0;
  size_t len = 0;  // left.len + right.len when queued; stale once either has changed
};

// Lowest cost first, then the leftmost pair.
struct MergeOrder {
  bool operator()(const MergeCandidate& a, const MergeCandidate& b) const {
    return a.cost > b.cost || (a.cost == b.cost && a.left > b.left);
  }
};

}  // namespace

std::vector<std::string_view> merge_pairs(std::string_view text, const MergeCost& cost) {
  std::vector<MergeSymbol> symbols;  // [n_chars] in text order, linked by prev/next
  for (size_t offset = 0; offset < text.size();) {
    const size_t len =
        std::min(utf8_sequence_length(static_cast<uint8_t>(text[offset])), text.size() - offset);
    const int index = static_cast<int>(symbols.size());
    symbols.push_back({index - 1, offset + len == text.size() ? -1 : index + 1, offset, len});
    offset += len;
  }

  std::priority_queue<MergeCandidate, std::vector<MergeCandidate>, MergeOrder> queue;
  const auto consider = [&](int left, int right) {
    if (left < 0 || right < 0) return;
    const MergeSymbol& l = symbols[left];
    const MergeSymbol& r = symbols[right];
    const auto c = cost(text.substr(l.offset, l.len + r.len), text.substr(l.offset, l.len),
                        text.substr(r.offset, r.len));
    if (c) queue.push({left, right, *c, l.len + r.len});
  };
  for (int i = 1; i < static_cast<int>(symbols.size()); ++i) consider(i - 1, i);

  while (!queue.empty()) {
    const MergeCandidate best = queue.top();
    queue.pop();
    MergeSymbol& left = symbols[best.left];
    MergeSymbol& right = symbols[best.right];
    if (left.len == 0 || right.len == 0 || left.len + right.len != best.len) continue;  // stale
    left.len += right.len;
    right.len = 0;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = best.left;
    consider(left.prev, best.left);
    consider(best.left, left.next);
  }

  std::vector<std::string_view> pieces;  // [n_symbols left]
  for (int i = symbols.empty() ? -1 : 0; i != -1; i = symbols[i].next) {
    pieces.push_back(text.substr(symbols[i].offset, symbols[i].len));
  }
  return pieces;
}

}  // namespace sb::engine
