// Logits and greedy continuations against the reference engine's outputs
// (shared/golden/<model>.jsonl, format in shared/README.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "local_engine/model.h"
#include "local_engine/model_forward.h"
#include "local_engine/run_state.h"
#include "tests/support/paths.h"

namespace sb::engine {
namespace {

struct GoldenCase {
  std::string model;  // file stem in shared/models and shared/golden
  // |ours - reference| <= abs_tol + rel_tol * |reference| for every top-5 logit.
  float abs_tol;
  float rel_tol;
  // Our top-1 may differ from the reference's when the reference ranks it within this
  // much of its own top-1 (a tie at the golden files' printed precision).
  float tie_tol;
};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.model; }

struct ErrorStats {
  double max_abs = 0.0;
  double max_rel = 0.0;
  int n_compared = 0;
};

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {
 protected:
  // Compares our logits with one reference top-5 list; returns false (after recording
  // failures) when the top-1 differs without a tie.
  bool compare_topk(std::span<const float> logits, const nlohmann::json& ref_topk,
                    const std::string& where) {
    const GoldenCase& c = GetParam();
    const int32_t ours_top1 = static_cast<int32_t>(
        std::max_element(logits.begin(), logits.end()) - logits.begin());
    const int32_t ref_top1 = ref_topk[0][0].get<int32_t>();
    const float ref_top1_logit = ref_topk[0][1].get<float>();
    bool tie = false;
    for (const auto& entry : ref_topk)
      if (entry[0].get<int32_t>() == ours_top1 &&
          ref_top1_logit - entry[1].get<float>() <= c.tie_tol)
        tie = true;
    if (ours_top1 != ref_top1 && tie) ++n_ties_;
    EXPECT_TRUE(ours_top1 == ref_top1 || tie)
        << where << ": top-1 is " << ours_top1 << " (" << logits[ours_top1] << "), reference "
        << ref_top1 << " (" << ref_top1_logit << ")";
    for (const auto& entry : ref_topk) {
      const int32_t token = entry[0].get<int32_t>();
      const float ref = entry[1].get<float>();
      const double abs_err = std::fabs(static_cast<double>(logits[token]) - ref);
      stats_.max_abs = std::max(stats_.max_abs, abs_err);
      stats_.max_rel = std::max(stats_.max_rel, abs_err / std::max(std::fabs(ref), 1e-6f));
      ++stats_.n_compared;
      EXPECT_LE(abs_err, c.abs_tol + c.rel_tol * std::fabs(ref))
          << where << ": logit of token " << token << " is " << logits[token] << ", reference " << ref;
    }
    return ours_top1 == ref_top1 || tie;
  }

  ErrorStats stats_;
  int n_ties_ = 0;  // positions where our top-1 differs from the reference's within a tie
};

TEST_P(GoldenTest, PromptLogitsAndGreedyContinuationMatchTheReference) {
  const GoldenCase& c = GetParam();
  const auto model_path = test::shared_dir() / "models" / (c.model + ".gguf");
  const auto golden_path = test::shared_dir() / "golden" / (c.model + ".jsonl");
  if (!std::filesystem::exists(model_path) || !std::filesystem::exists(golden_path))
    GTEST_SKIP() << "missing " << (std::filesystem::exists(model_path) ? golden_path : model_path);

  const Model model = Model::load(model_path);
  std::ifstream in(golden_path);
  std::string line;
  int n_prompts = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto golden = nlohmann::json::parse(line);
    const auto prompt = golden["prompt_tokens"].get<std::vector<int32_t>>();
    const auto greedy = golden["greedy_tokens"].get<std::vector<int32_t>>();
    const std::string label = c.model + " prompt " + std::to_string(n_prompts++);
    ASSERT_EQ(golden["prompt_topk"].size(), prompt.size()) << label;

    RunState state(model.config(), static_cast<int64_t>(prompt.size() + greedy.size()));
    std::span<const float> logits;
    std::vector<int32_t> ours;  // our greedy choices along the reference's path
    const int ties_before = n_ties_;
    int64_t pos = 0;
    for (size_t i = 0; i < prompt.size(); ++i, ++pos) {
      logits = forward(model, state, prompt[i], pos, pass_for_batch(prompt.size()));
      compare_topk(logits, golden["prompt_topk"][i], label + " position " + std::to_string(i));
    }
    for (size_t j = 0; j < greedy.size(); ++j, ++pos) {
      const std::string where = label + " greedy step " + std::to_string(j);
      ours.push_back(static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) -
                                          logits.begin()));
      if (!compare_topk(logits, golden["greedy_topk"][j], where)) break;  // diverged
      logits = forward(model, state, greedy[j], pos);  // follow the reference path
    }
    if (n_ties_ == ties_before) {
      EXPECT_EQ(ours, greedy) << label;
    }
  }
  EXPECT_GT(n_prompts, 0) << golden_path;
  std::cout << "[ golden   ] " << c.model << ": " << stats_.n_compared
            << " logits, max abs err " << stats_.max_abs << ", max rel err " << stats_.max_rel
            << ", " << n_ties_ << " top-1 swaps within the tie tolerance\n";
  RecordProperty("max_abs_err", std::to_string(stats_.max_abs));
  RecordProperty("max_rel_err", std::to_string(stats_.max_rel));
}

INSTANTIATE_TEST_SUITE_P(
    Models, GoldenTest,
    // The golden files print logits with 5 decimals, so "equal" is within 5e-6 plus a few
    // float ulps: 1e-5. Every synthetic model, float and quantized, now matches that at
    // every position (the engine follows the reference's x86-64 AVX-512 kernels: summation
    // orders, vectorized exp, FMA contraction, batch vs single-token kernels; ops.h).
    // stories260K (F32, trained; head_dim 8, ffn 172: the only model whose rows leave
    // tails outside whole 16-lane registers) matches to the printed precision at 293 of
    // its 297 positions and within 1e-5 relative everywhere (observed 7.5e-6, 7e-5
    // absolute at logits near 15, at 4 single positions of its greedy continuations; the
    // README's tolerance for float weights is ~1e-3 relative); no single F16 rounding
    // accounts for them. Top-1: a swap is allowed only between logits equal to the
    // printed precision.
    ::testing::Values(GoldenCase{"stories260K", 1e-5f, 1e-5f, 1e-5f},
                      GoldenCase{"synth-llama-f32", 1e-5f, 0.0f, 1e-5f},
                      GoldenCase{"synth-llama-f16", 1e-5f, 0.0f, 1e-5f},
                      GoldenCase{"synth-llama-q8_0", 1e-5f, 0.0f, 1e-5f},
                      GoldenCase{"synth-llama-q4_0", 1e-5f, 0.0f, 1e-5f},
                      GoldenCase{"synth-llama-q6_k", 1e-5f, 0.0f, 1e-5f},
                      GoldenCase{"synth-llama-q4_k_m", 1e-5f, 0.0f, 1e-5f},
                      GoldenCase{"synth-qwen2-f32", 1e-5f, 0.0f, 1e-5f},
                      GoldenCase{"synth-qwen2-q8_0", 1e-5f, 0.0f, 1e-5f}),
    [](const ::testing::TestParamInfo<GoldenCase>& info) {
      std::string name = info.param.model;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

}  // namespace
}  // namespace sb::engine
