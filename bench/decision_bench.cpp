// Decision latency: PolicyEngine::decide (privacy scan of every message, difficulty score,
// ordering, cost estimate per target) on policies.yaml's `auto` route, for prompts of
// 1, 4 and 16 KB built from real prompts in ../shared (routing prompts: clean; the PII
// corpus: dense). Prints p50/p99/max in microseconds, and the same figures for a fixed
// arithmetic loop as long as the clean 4 KB decision: the machine's own tail.
//   decision_bench [SHARED_DIR (default ../shared)] [iterations per case, default 20000]
//                  [only cases whose label contains this, e.g. "clean 4 KB"]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
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

struct Percentiles {
  double p50, p99, max;
};

Percentiles percentiles(std::vector<double>& micros) {
  std::sort(micros.begin(), micros.end());
  auto at = [&](double p) { return micros[std::min(micros.size() - 1, static_cast<size_t>(p * micros.size()))]; };
  return {at(0.50), at(0.99), micros.back()};
}

// Times `iterations` calls of f (after 100 that warm caches), in microseconds.
template <class F>
Percentiles time_calls(int iterations, F&& f) {
  std::vector<double> micros;
  micros.reserve(iterations);
  for (int i = 0; i < iterations + 100; ++i) {
    const auto start = Clock::now();
    f();
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    if (i >= 100) micros.push_back(us);
  }
  return percentiles(micros);
}

// What the machine adds by itself: a fixed chain of integer operations, sized to take
// about `target_us`, timed the same way. Its p99 over its p50 is the environment's share
// of a decision's tail (timer interrupts, neighbours on a shared host), not the code's.
Percentiles noise_floor(double target_us, int iterations) {
  uint64_t x = 1;
  long steps = 1000;
  const auto run = [&x, &steps] {
    for (long k = 0; k < steps; ++k) x = x * 0x9e3779b97f4a7c15ull + static_cast<uint64_t>(k);
  };
  // Calibrate: scale the work by target / median time until the median is within 2%.
  for (int round = 0; round < 20; ++round) {
    const double us = time_calls(21, run).p50;
    if (std::abs(us - target_us) < 0.02 * target_us) break;
    steps = std::max(1L, static_cast<long>(static_cast<double>(steps) * target_us / std::max(us, 0.01)));
  }
  const Percentiles p = time_calls(iterations, run);
  if (x == 42) std::printf(" ");  // the chain's result is used
  return p;
}

// Returns the p50.
double measure(const sb::policies::PolicyEngine& engine, const sb::config::TeamConfig& team, const std::string& label,
               const std::string& text, int iterations) {
  sb::ChatRequest request;
  request.model = "auto";
  request.messages.push_back({sb::Role::System, {{sb::ContentPart::Kind::Text, "You are a helpful assistant.", "", ""}}, "", {}, ""});
  request.messages.push_back({sb::Role::User, {{sb::ContentPart::Kind::Text, text, "", ""}}, "", {}, ""});
  size_t targets = 0;
  const Percentiles p = time_calls(iterations, [&] {
    targets = engine.decide({request, team, "dec_bench", std::nullopt, std::nullopt}).targets.size();
  });
  std::printf("%-22s %7zu B  p50 %8.2f us  p99 %8.2f us  max %9.2f us  (%zu targets)\n", label.c_str(), text.size(), p.p50,
              p.p99, p.max, targets);
  return p.p50;
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
    double clean_4kb_p50 = 0;
    for (size_t kb : {1, 4, 16}) {
      const std::string size = " " + std::to_string(kb) + " KB";
      if (("clean" + size).find(only) != std::string::npos) {
        const double p50 = measure(engine, config.teams[0], "clean" + size,
                                   corpus_text(shared + "/routing/routellm_eval.jsonl", "prompt", kb * 1024), iterations);
        if (kb == 4) clean_4kb_p50 = p50;
      }
      if (("pii-dense" + size).find(only) != std::string::npos)
        measure(engine, config.teams[0], "pii-dense" + size,
                corpus_text(shared + "/policy/pii_public.jsonl", "text", kb * 1024), iterations);
    }
    if (clean_4kb_p50 > 0) {
      const Percentiles floor = noise_floor(clean_4kb_p50, iterations);
      std::printf("%-22s %9s  p50 %8.2f us  p99 %8.2f us  max %9.2f us  (a fixed loop as long as clean 4 KB)\n",
                  "machine noise floor", "", floor.p50, floor.p99, floor.max);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "decision_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
