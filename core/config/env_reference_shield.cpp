#include "core/config/env_reference_shield.h"


namespace sb::config {

namespace {

// Characters that would end or split a plain scalar, and their stand-ins (DC1..ETB).
constexpr std::string_view kSpecial = "{}[],#:";
constexpr std::string_view kStandIn = "\x11\x12\x13\x14\x15\x16\x17";
static_assert(kSpecial.size() == kStandIn.size());

std::string translate(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  for (char& c : out)
    if (size_t i = from.find(c); i != std::string_view::npos) c = to[i];
  return out;
}

}  // namespace

std::optional<size_t> first_control_character(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return i;
  }
  return std::nullopt;
}

std::string shield_env_references(std::string_view yaml) {
  std::string out;
  out.reserve(yaml.size());
  size_t pos = 0;
  while (pos < yaml.size()) {
    const size_t start = yaml.find("${", pos);
    const size_t end = start == std::string_view::npos ? start : yaml.find_first_of("}\n", start + 2);
    if (end == std::string_view::npos || yaml[end] != '}') {  // no complete reference on this line
      const size_t next = start == std::string_view::npos ? yaml.size() : start + 2;
      out.append(yaml.substr(pos, next - pos));
      pos = next;
      continue;
    }
    out.append(yaml.substr(pos, start + 1 - pos));  // up to and including '$'
    out += translate(yaml.substr(start + 1, end - start), kSpecial, kStandIn);
    pos = end + 1;
  }
  return out;
}

std::string unshield_env_references(std::string_view scalar) { return translate(scalar, kStandIn, kSpecial); }

}  // namespace sb::config
