#include "policies/privacy/redactor.h"

#include <algorithm>

namespace sb::policies {

const std::string& Redactor::placeholder_for(const std::string& type, std::string_view value) {
  auto key = std::make_pair(type, std::string(value));
  const auto found = placeholders_.find(key);
  if (found != placeholders_.end()) return found->second;
  std::string placeholder = "<" + type + "_" + std::to_string(++count_per_type_[type]) + ">";
  mapping_.emplace(placeholder, key.second);
  return placeholders_.emplace(std::move(key), std::move(placeholder)).first->second;
}

std::string Redactor::redact(std::string_view text, const std::vector<Finding>& findings) {
  std::vector<const Finding*> ordered;
  for (const Finding& f : findings)
    if (f.start < f.end && f.end <= text.size()) ordered.push_back(&f);
  std::sort(ordered.begin(), ordered.end(), [](const Finding* a, const Finding* b) { return a->start < b->start; });
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;
  for (const Finding* f : ordered) {
    if (f->start < copied) continue;  // overlaps the previous replacement
    out.append(text.substr(copied, f->start - copied));
    out += placeholder_for(f->type, text.substr(f->start, f->end - f->start));
    copied = f->end;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace sb::policies
