#pragma once
// The pair-merging loop that SentencePiece and BPE share: cut the text into UTF-8
// characters, then repeatedly merge the adjacent pair of symbols with the lowest cost
// (the leftmost on ties) until no pair has a cost. Only the cost differs: SentencePiece
// uses the negated score of the merged token, BPE the merge rank.
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace sb::engine {

// Cost of merging `left` and `right` (adjacent, merged == left + right as one view
// into the text); nullopt when they do not merge.
using MergeCost = std::function<std::optional<double>(std::string_view merged, std::string_view left,
                                                      std::string_view right)>;

// The final symbols in text order, as views into `text`.
std::vector<std::string_view> merge_pairs(std::string_view text, const MergeCost& cost);

}  // namespace sb::engine
