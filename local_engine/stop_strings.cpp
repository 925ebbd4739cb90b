#include "local_engine/stop_strings.h"

#include <algorithm>

namespace sb::engine {

StopStringMatcher::StopStringMatcher(std::vector<std::string> stop_strings)
    : stop_strings_(std::move(stop_strings)) {
  std::erase_if(stop_strings_, [](const std::string& s) { return s.empty(); });
}

std::string StopStringMatcher::push(std::string_view text) {
  if (stopped_) return {};
  held_ += text;
  size_t first_stop = std::string::npos;
  for (const auto& stop : stop_strings_) first_stop = std::min(first_stop, held_.find(stop));
  if (first_stop != std::string::npos) {
    stopped_ = true;
    std::string released = held_.substr(0, first_stop);
    held_.clear();
    return released;
  }
  const size_t keep = undecided_suffix_length();
  std::string released = held_.substr(0, held_.size() - keep);
  held_.erase(0, held_.size() - keep);
  return released;
}

std::string StopStringMatcher::flush() {
  std::string released;
  released.swap(held_);
  return released;
}

size_t StopStringMatcher::undecided_suffix_length() const {
  size_t longest = 0;
  const std::string_view held = held_;
  for (const auto& stop : stop_strings_) {
    for (size_t k = std::min(stop.size() - 1, held.size()); k > longest; --k) {
      if (held.ends_with(std::string_view(stop).substr(0, k))) {
        longest = k;
        break;
      }
    }
  }
  return longest;
}

}  // namespace sb::engine
