// Decision latency: PolicyEngine::decide (privacy scan of every message, difficulty score,
// ordering, cost estimate per target) on policies.yaml's `auto` route, for prompts of
// 1, 4 and 16 KB built from real prompts in ../shared (routing prompts: clean; the PII
// corpus: dense). Prints p50/p99/max in microseconds.
//   decision_bench [SHARED_DIR (default ../shared)] [iterations per case, default 20000]
//                  [only cases whose label contains this, e.g. "clean 4 KB"]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config/config.h"
#include "policies/policy_engine.h"

namespace {

using Clock = std::chrono::steady_clock;

// The texts of `field` in a JSONL file, concatenated until `bytes` long.
std::string corpus_text(const std::string& path, const std::string& field, size_t bytes) {
  std::ifstream in(path);
  std::string line, text;
  while (text.size() < bytes && std::getline(in, line)) text += nlohmann::json::parse(line)[field].get<std::string>() + "\n";
  if (text.size() < bytes) throw std::runtime_error(path + ": not enough text for " + std::to_string(bytes) + " bytes");
  // Cut at a character boundary.
  size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

void measure(const sb::policies::PolicyEngine& engine, const sb::config::TeamConfig& team, const std::string& label,
             const std::string& text, int iterations) {
  sb::ChatRequest request;
  request.model = "auto";
  request.messages.push_back({sb::Role::System, {{sb::ContentPart::Kind::Text, "You are a helpful assistant.", "", ""}}, "", {}, ""});
  request.messages.push_back({sb::Role::User, {{sb::ContentPart::Kind::Text, text, "", ""}}, "", {}, ""});
  std::vector<double> micros;
  micros.reserve(iterations);
  size_t targets = 0;
  for (int i = 0; i < iterations + 100; ++i) {
    const auto start = Clock::now();
    auto decision = engine.decide({request, team, "dec_bench", std::nullopt, std::nullopt});
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    targets = decision.targets.size();
    if (i >= 100) micros.push_back(us);  // the first ones warm caches
  }
  std::sort(micros.begin(), micros.end());
  auto at = [&](double p) { return micros[std::min(micros.size() - 1, static_cast<size_t>(p * micros.size()))]; };
  std::printf("%-22s %7zu B  p50 %8.2f us  p99 %8.2f us  max %9.2f us  (%zu targets)\n", label.c_str(), text.size(),
              at(0.50), at(0.99), micros.back(), targets);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string shared = argc > 1 ? argv[1] : "../shared";
  const int iterations = argc > 2 ? std::atoi(argv[2]) : 20000;
  const std::string only = argc > 3 ? argv[3] : "";
  try {
    const std::string yaml = R"(
local_models: [{name: stories, path: demo.gguf}]
providers:
  - {name: openai, kind: openai, base_url: "https://api.openai.com/v1", api_key: k, models: [gpt-4o-mini]}
  - {name: anthropic, kind: anthropic, base_url: "https://api.anthropic.com", api_key: k, models: [claude-haiku-4-5]}
prices:
  gpt-4o-mini: {input: 0.15, output: 0.60}
  claude-haiku-4-5: {input: 1.00, output: 5.00}
routes:
  - {model: auto, local: [stories], cloud: [gpt-4o-mini, claude-haiku-4-5], difficulty_threshold: 0.6}
privacy:
  custom: [{name: PROJECT_CODENAME, regex: '\b(?:BLUEJAY|NIGHTOWL)\b'}]
teams: [{name: dev, keys: [k1]}]
)";
    const auto config = sb::config::parse_config(yaml, "bench.yaml", [](std::string_view) { return std::nullopt; });
    const sb::policies::PolicyEngine engine(config, sb::policies::DifficultyModel::builtin());
    std::printf("decision latency, %d decisions per case\n", iterations);
    for (size_t kb : {1, 4, 16}) {
      const std::string size = " " + std::to_string(kb) + " KB";
      if (("clean" + size).find(only) != std::string::npos)
        measure(engine, config.teams[0], "clean" + size,
                corpus_text(shared + "/routing/routellm_eval.jsonl", "prompt", kb * 1024), iterations);
      if (("pii-dense" + size).find(only) != std::string::npos)
        measure(engine, config.teams[0], "pii-dense" + size,
                corpus_text(shared + "/policy/pii_public.jsonl", "text", kb * 1024), iterations);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "decision_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
