#pragma once
// Stop strings over streamed text. Text is released as soon as it can no longer be the
// beginning of a stop string; the first stop string found and everything after it are
// dropped. Matching is on bytes of the detokenized text, so a stop string may span
// several tokens.
#include <string>
#include <string_view>
#include <vector>

namespace sb::engine {

class StopStringMatcher {
 public:
  explicit StopStringMatcher(std::vector<std::string> stop_strings);  // empty ones are ignored

  // Appends `text`; returns the part that is now safe to emit. Once a stop string is
  // found stopped() is true and later calls return "".
  std::string push(std::string_view text);
  // End of the stream: returns the text still held back ("" after a stop).
  std::string flush();
  bool stopped() const { return stopped_; }

 private:
  // Bytes at the end of held_ that are a proper prefix of some stop string.
  size_t undecided_suffix_length() const;

  std::vector<std::string> stop_strings_;
  std::string held_;  // text received but not yet released
  bool stopped_ = false;
};

}  // namespace sb::engine
