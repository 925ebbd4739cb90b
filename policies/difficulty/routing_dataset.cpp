#include "policies/difficulty/routing_dataset.h"

#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace sb::policies {

std::vector<LabeledPrompt> load_routing_split(const std::filesystem::path& jsonl, std::string_view split) {
  std::ifstream in(jsonl);
  if (!in) throw std::runtime_error("cannot open routing dataset " + jsonl.string());
  std::vector<LabeledPrompt> rows;
  std::string line;
  for (std::size_t line_number = 1; std::getline(in, line); ++line_number) {
    if (line.empty()) continue;
    try {
      const auto row = nlohmann::json::parse(line);
      if (row.at("split").get<std::string>() != split) continue;
      rows.push_back({row.at("id").get<std::string>(), row.at("benchmark").get<std::string>(),
                      row.at("subject").get<std::string>(), row.at("prompt").get<std::string>(),
                      row.at("weak_correct").get<int>() != 0, row.at("strong_correct").get<int>() != 0});
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(jsonl.string() + ":" + std::to_string(line_number) + ": " + e.what());
    }
  }
  return rows;
}

}  // namespace sb::policies
