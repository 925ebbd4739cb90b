#include "local_engine/arch.h"

#include <array>
#include <stdexcept>

#include "local_engine/archs/archs.h"

namespace sb::engine {
namespace {

using ArchFn = const ArchSpec& (*)();
constexpr std::array<ArchFn, 2> kArchs = {&archs::llama, &archs::qwen2};

}  // namespace

const ArchSpec& find_arch(std::string_view name) {
  for (ArchFn arch : kArchs)
    if (arch().name == name) return arch();
  throw std::runtime_error("unsupported architecture '" + std::string(name) +
                           "' (supported: " + supported_arch_names() + ")");
}

std::string supported_arch_names() {
  std::string names;
  for (ArchFn arch : kArchs) names += (names.empty() ? "" : ", ") + std::string(arch().name);
  return names;
}

}  // namespace sb::engine
