#include "connectors/wire_common.h"

#include <chrono>

#include "connectors/provider.h"

namespace sb::connectors::wire {

std::optional<InlineImage> parse_base64_data_uri(std::string_view url) {
  constexpr std::string_view kScheme = "data:";
  constexpr std::string_view kBase64 = ";base64";
  if (!url.starts_with(kScheme)) return std::nullopt;
  auto comma = url.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  std::string_view meta = url.substr(kScheme.size(), comma - kScheme.size());
  if (!meta.ends_with(kBase64)) return std::nullopt;
  meta.remove_suffix(kBase64.size());
  if (meta.empty()) return std::nullopt;
  return InlineImage{std::string(meta), std::string(url.substr(comma + 1))};
}

nlohmann::json tool_arguments_object(const ToolCall& call) {
  if (call.arguments.empty()) return nlohmann::json::object();
  auto args = nlohmann::json::parse(call.arguments, nullptr, false);
  if (args.is_discarded() || !args.is_object())
    throw ProviderError(400, "invalid_request_error", "invalid_tool_arguments",
                        "the arguments of tool call '" + call.id + "' (" + call.name + ") are not a JSON object",
                        false);
  return args;
}

std::map<std::string, std::string> tool_names_by_call_id(const std::vector<Message>& messages) {
  std::map<std::string, std::string> names;
  for (const auto& m : messages)
    for (const auto& call : m.tool_calls) names[call.id] = call.name;
  return names;
}

std::optional<std::string> forced_tool_name(const nlohmann::json& tool_choice) {
  if (!tool_choice.is_object()) return std::nullopt;
  const auto function = tool_choice.find("function");
  if (function == tool_choice.end() || !function->is_object()) return std::nullopt;
  const auto name = function->find("name");
  if (name == function->end() || !name->is_string()) return std::nullopt;
  return name->get<std::string>();
}

std::string versioned_base_url(std::string base_url, std::string_view version_path) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  if (!std::string_view(base_url).ends_with(version_path)) base_url += version_path;
  return base_url;
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace sb::connectors::wire
