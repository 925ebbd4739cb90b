#include "core/config/env_expand.h"

#include <algorithm>

namespace sb::config {

namespace {

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

bool is_valid_name(std::string_view name) {
  return !name.empty() && is_name_start(name.front()) && std::all_of(name.begin(), name.end(), is_name_char);
}

}  // namespace

Expansion expand_env(std::string_view text, const EnvLookup& env) {
  Expansion out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = text.find("${", pos);
    if (start == std::string_view::npos) {
      out.text.append(text.substr(pos));
      break;
    }
    out.text.append(text.substr(pos, start - pos));
    const size_t end = text.find('}', start + 2);
    if (end == std::string_view::npos)
      throw std::invalid_argument("unterminated ${ (expected ${NAME} or ${NAME:-default})");
    const std::string_view body = text.substr(start + 2, end - start - 2);
    const size_t sep = body.find(":-");
    const std::string_view name = body.substr(0, sep);
    if (!is_valid_name(name))
      throw std::invalid_argument("bad environment variable reference '${" + std::string(body) + "}'");

    std::optional<std::string> value = env(name);
    if (value && !value->empty()) {
      out.text += *value;
    } else if (sep != std::string_view::npos) {
      out.text.append(body.substr(sep + 2));
    } else if (std::find(out.unset.begin(), out.unset.end(), name) == out.unset.end()) {
      out.unset.emplace_back(name);
    }
    pos = end + 1;
  }
  return out;
}

}  // namespace sb::config
