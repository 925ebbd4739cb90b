#include "connectors/provider_registry.h"

#include "connectors/anthropic/anthropic_provider.h"
#include "connectors/gemini/gemini_provider.h"
#include "connectors/openai/openai_compatible_provider.h"

namespace sb::connectors {

ProviderRegistry::ProviderRegistry(const config::Config& config, const LocalProviderOptions& local_options) {
  for (const auto& m : config.local_models) {
    auto& provider = local_[m.name] = std::make_unique<LocalProvider>(m, local_options);
    if (m.lazy_load) continue;
    try {
      provider->load();
    } catch (const ProviderError& e) {
      warnings_.push_back(e.what());
    }
  }
  for (const auto& p : config.providers) {
    if (!p.enabled) continue;
    switch (p.kind) {
      case config::ProviderKind::OpenAI:
      case config::ProviderKind::OpenAICompatible:
        remote_[p.name] = std::make_unique<OpenAICompatibleProvider>(p);
        break;
      case config::ProviderKind::Anthropic:
        remote_[p.name] = std::make_unique<AnthropicProvider>(p);
        break;
      case config::ProviderKind::Gemini:
        remote_[p.name] = std::make_unique<GeminiProvider>(p);
        break;
    }
  }
}

LocalProvider* ProviderRegistry::local(const std::string& model_name) const {
  auto it = local_.find(model_name);
  return it == local_.end() ? nullptr : it->second.get();
}

Provider* ProviderRegistry::remote(const std::string& provider_name) const {
  auto it = remote_.find(provider_name);
  return it == remote_.end() ? nullptr : it->second.get();
}

}  // namespace sb::connectors
