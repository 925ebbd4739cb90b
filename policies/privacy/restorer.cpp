#include "policies/privacy/restorer.h"

#include <algorithm>
#include <utility>

namespace sb::policies {

Restorer::Restorer(std::map<std::string, std::string> mapping) : mapping_(mapping.begin(), mapping.end()) {
  for (const auto& [placeholder, value] : mapping_) longest_placeholder_ = std::max(longest_placeholder_, placeholder.size());
}

bool Restorer::is_placeholder_prefix(std::string_view text) const {
  const auto it = mapping_.lower_bound(text);
  return it != mapping_.end() && std::string_view(it->first).starts_with(text);
}

std::string Restorer::feed(std::string_view chunk) {
  pending_.append(chunk);
  std::string out;
  out.reserve(pending_.size());
  const std::string_view buffer = pending_;
  size_t pos = 0;
  while (pos < buffer.size()) {
    const size_t open = buffer.find('<', pos);
    if (open == std::string_view::npos || longest_placeholder_ == 0) {
      out.append(buffer.substr(pos));
      pos = buffer.size();
      break;
    }
    out.append(buffer.substr(pos, open - pos));
    const std::string_view rest = buffer.substr(open);
    const size_t close = rest.substr(0, longest_placeholder_).find('>');
    if (close != std::string_view::npos) {
      const auto it = mapping_.find(rest.substr(0, close + 1));
      if (it != mapping_.end()) {
        out += it->second;
        pos = open + close + 1;
        continue;
      }
    } else if (is_placeholder_prefix(rest)) {  // may complete in the next chunk
      pos = open;
      break;
    }
    out += '<';
    pos = open + 1;
  }
  pending_.erase(0, pos);
  return out;
}

std::string Restorer::finish() { return std::exchange(pending_, {}); }

}  // namespace sb::policies
