#include "policies/privacy/custom_detector.h"

#include <stdexcept>

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include "policies/privacy/text_scan.h"

namespace sb::policies {
namespace {

// (?i)(?:\bfoo\b|\bbar baz\b|c\+\+): \b only where the keyword's edge is a word character,
// so keywords such as "C++" still match.
std::string keyword_pattern(const std::vector<std::string>& keywords) {
  std::string pattern = "(?i)(?:";
  for (size_t i = 0; i < keywords.size(); ++i) {
    const std::string& keyword = keywords[i];
    if (i > 0) pattern += '|';
    if (text::is_word(keyword.front())) pattern += "\\b";
    pattern += re2::RE2::QuoteMeta(keyword);
    if (text::is_word(keyword.back())) pattern += "\\b";
  }
  return pattern + ")";
}

std::string describe(const config::CustomDetectorConfig& config) {
  return "privacy.custom detector '" + config.name + "'";
}

}  // namespace

CustomDetector::CustomDetector(const config::CustomDetectorConfig& config)
    : name_(config.name), rule_("custom." + config.name) {
  std::string pattern;
  if (!config.regex.empty()) {
    pattern = config.regex;
    validated_by_ = "regex";
  } else {
    for (const std::string& keyword : config.keywords)
      if (keyword.empty()) throw std::invalid_argument(describe(config) + ": empty keyword");
    if (config.keywords.empty()) throw std::invalid_argument(describe(config) + ": needs a regex or keywords");
    pattern = keyword_pattern(config.keywords);
    validated_by_ = "keyword";
  }
  re2::RE2::Options options;
  options.set_log_errors(false);
  pattern_ = std::make_unique<re2::RE2>(pattern, options);
  if (!pattern_->ok())
    throw std::invalid_argument(describe(config) + ": invalid regex '" + config.regex + "': " + pattern_->error());
  constexpr int kMinAtomLength = 3;  // shorter literals would not filter anything out
  prefilter_ = std::make_unique<re2::FilteredRE2>(kMinAtomLength);
  int id = 0;
  prefilter_->Add(pattern, options, &id);
  prefilter_->Compile(&atoms_);
  for (const std::string& atom : atoms_)
    for (char c : atom) prefilter_usable_ = prefilter_usable_ && static_cast<unsigned char>(c) < 0x80;
}

bool CustomDetector::may_match(std::string_view text) const {
  if (!prefilter_usable_) return true;
  std::vector<int> found_atoms, potential;
  for (size_t i = 0; i < atoms_.size(); ++i)
    if (text::contains_ci(text, atoms_[i])) found_atoms.push_back(static_cast<int>(i));
  prefilter_->AllPotentials(found_atoms, &potential);
  return !potential.empty();
}

CustomDetector::~CustomDetector() = default;

void CustomDetector::scan(std::string_view text, std::vector<Finding>& out) const {
  if (!may_match(text)) return;
  const re2::StringPiece input(text.data(), text.size());
  re2::StringPiece match;
  size_t pos = 0;
  while (pos <= text.size() && pattern_->Match(input, pos, text.size(), re2::RE2::UNANCHORED, &match, 1)) {
    const size_t start = static_cast<size_t>(match.data() - text.data());
    const size_t end = start + match.size();
    if (end == start) {  // an empty match reports nothing; step past it
      pos = start + 1;
      continue;
    }
    out.push_back({name_, start, end, rule_, validated_by_});
    pos = end;
  }
}

}  // namespace sb::policies
