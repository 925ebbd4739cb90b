// Difficulty scorer latency: DifficultyModel::builtin().score() on prompts of 256 B, 1, 4
// and 16 KB (prose with numbers, a code fence and multiple-choice options). Prints the
// per-call latency percentiles and throughput.
//   difficulty_bench [seconds per case, default 0.5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "policies/difficulty/difficulty_model.h"

namespace {

using Clock = std::chrono::steady_clock;

const std::vector<std::string> kWords = {
    "which", "of", "the", "following", "best", "explains", "why", "a", "farmer", "sells", "apples", "each",
    "week", "and", "how", "many", "remain", "after", "tax", "is", "applied", "to", "total", "price", "not",
    "statement", "true", "false", "compute", "integral", "function", "returns", "value", "when", "input",
    "court", "held", "that", "defendant", "liable", "under", "contract", "doctrine", "patient", "presents",
    "with", "fever", "enzyme", "reaction", "rate", "increases", "temperature", "must", "at", "least"};

std::string prompt_of(std::size_t bytes, std::mt19937& rng) {
  std::string text;
  while (text.size() + 64 < bytes) {
    text += kWords[rng() % kWords.size()];
    const unsigned r = rng() % 12;
    if (r == 2) text.append(" ").append(std::to_string(rng() % 1000));
    text += r == 0 ? ". " : r == 1 ? ", " : " ";
    if (rng() % 400 == 0) text += "\n```\nint f(int x) { return x * 2; }\n```\n";
  }
  text += "?\nA. true\nB. false\nC. 42\nD. none of the above\nAnswer:";
  return text;
}

void bench(std::size_t bytes, double seconds, const sb::policies::DifficultyModel& model) {
  std::mt19937 rng(7);
  std::vector<std::string> prompts;
  for (int i = 0; i < 16; ++i) prompts.push_back(prompt_of(bytes, rng));
  std::vector<double> micros;
  double checksum = 0;
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  for (std::size_t i = 0; Clock::now() < end; ++i) {
    const auto& prompt = prompts[i % prompts.size()];
    const auto start = Clock::now();
    checksum += model.score(prompt);
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(micros.begin(), micros.end());
  const auto pct = [&](double p) { return micros[static_cast<std::size_t>(p * static_cast<double>(micros.size() - 1))]; };
  double total = 0;
  for (double m : micros) total += m;
  std::printf("%6zu B  calls %8zu  p50 %7.2f us  p99 %7.2f us  %7.1f MB/s  (checksum %.3f)\n", bytes,
              micros.size(), pct(0.5), pct(0.99), static_cast<double>(bytes) * static_cast<double>(micros.size()) / total,
              checksum / static_cast<double>(micros.size()));
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 0.5;
  const auto model = sb::policies::DifficultyModel::builtin();
  std::printf("difficulty scorer, builtin model, %.1f s per size\n", seconds);
  for (std::size_t bytes : {256u, 1024u, 4096u, 16384u}) bench(bytes, seconds, model);
  return 0;
}
