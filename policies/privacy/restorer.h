#pragma once
// Puts the original values back into a response in place of the Redactor's placeholders,
// for a whole answer or a stream of chunks. A chunk may end inside a placeholder
// ("...<EMA" + "IL_1>..."): the possible start of one is held back until it completes or
// can no longer become one, so a placeholder is never emitted broken.
#include <map>
#include <string>
#include <string_view>

namespace sb::policies {

class Restorer {
 public:
  explicit Restorer(std::map<std::string, std::string> mapping);  // placeholder -> value

  // The restored text that is safe to emit now.
  std::string feed(std::string_view chunk);
  // The held-back tail (call once, at the end of the response).
  std::string finish();

 private:
  bool is_placeholder_prefix(std::string_view text) const;

  std::map<std::string, std::string, std::less<>> mapping_;
  size_t longest_placeholder_ = 0;
  std::string pending_;
};

}  // namespace sb::policies
