#pragma once
// The spelling of every configuration enum in policies.yaml, one table per enum.
// Tables list the enumerators in declaration order (checked at compile time), so
// to_string() is an index and parsing is a scan.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/config/config.h"

namespace sb::config {

template <class E>
struct EnumName {
  std::string_view name;
  E value;
};

inline constexpr std::array kLocalityNames{
    EnumName<Locality>{"device", Locality::Device},
    EnumName<Locality>{"remote", Locality::Remote},
};
inline constexpr std::array kProviderKindNames{
    EnumName<ProviderKind>{"openai", ProviderKind::OpenAI},
    EnumName<ProviderKind>{"anthropic", ProviderKind::Anthropic},
    EnumName<ProviderKind>{"gemini", ProviderKind::Gemini},
    EnumName<ProviderKind>{"openai_compatible", ProviderKind::OpenAICompatible},
};
inline constexpr std::array kPrivacyActionNames{
    EnumName<PrivacyAction>{"allow", PrivacyAction::Allow},
    EnumName<PrivacyAction>{"redact", PrivacyAction::Redact},
    EnumName<PrivacyAction>{"local_only", PrivacyAction::LocalOnly},
    EnumName<PrivacyAction>{"block", PrivacyAction::Block},
};
inline constexpr std::array kLedgerDriverNames{
    EnumName<LedgerDriver>{"sqlite", LedgerDriver::Sqlite},
    EnumName<LedgerDriver>{"postgres", LedgerDriver::Postgres},
};

template <class E, size_t N>
constexpr bool in_declaration_order(const std::array<EnumName<E>, N>& table) {
  for (size_t i = 0; i < N; ++i)
    if (static_cast<size_t>(table[i].value) != i) return false;
  return true;
}
static_assert(in_declaration_order(kLocalityNames) && kLocalityNames.size() == 2);
static_assert(in_declaration_order(kProviderKindNames) && kProviderKindNames.size() == 4);
static_assert(in_declaration_order(kPrivacyActionNames) && kPrivacyActionNames.size() == 4);
static_assert(in_declaration_order(kLedgerDriverNames) && kLedgerDriverNames.size() == 2);

template <class E, size_t N>
std::optional<E> parse_enum(const std::array<EnumName<E>, N>& table, std::string_view text) {
  for (const auto& entry : table)
    if (entry.name == text) return entry.value;
  return std::nullopt;
}

// "a, b, c" for error messages.
template <class E, size_t N>
std::string enum_names(const std::array<EnumName<E>, N>& table) {
  std::string out;
  for (const auto& entry : table) {
    if (!out.empty()) out += ", ";
    out += entry.name;
  }
  return out;
}

}  // namespace sb::config
