// switchboard run -m MODEL -p PROMPT [-n N] [--temp T] [--seed S] [--top-k K] [--top-p P]
//                 [--logits-json]
// Runs a local GGUF model on one prompt and streams the continuation to stdout; with
// --logits-json it decodes greedily and prints the golden-file JSON (top-5 logits at
// every prompt position and greedy step) used to compare with the reference engine.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <random>
#include <stdexcept>

#include "gateway/cli/args.h"
#include "gateway/cli/command.h"
#include "local_engine/generate.h"
#include "local_engine/model.h"
#include "local_engine/model_forward.h"
#include "local_engine/run_state.h"
#include "local_engine/sampler_candidates.h"
#include "local_engine/tokenizer.h"

namespace sb::cli {

Command make_run_command();

namespace {

constexpr int32_t kDefaultTokens = 128;
constexpr int32_t kDefaultJsonTokens = 32;
constexpr int32_t kTopLogits = 5;

Args run_args() {
  Args args;
  args.option({"-m", "--model"}, "GGUF model file (required)")
      .option({"-p", "--prompt"}, "prompt text (required)")
      .option({"-n", "--n-predict"}, "tokens to generate (default 128; 32 with --logits-json)")
      .option({"--temp"}, "temperature, 0 = greedy (default 0.8)")
      .option({"--seed"}, "random seed, a non-negative integer (default: random)")
      .option({"--top-k"}, "keep the K most likely tokens, 0 = off (default 40)")
      .option({"--top-p"}, "nucleus sampling mass in [0, 1], 1 = off (default 0.95)")
      .flag({"--logits-json"}, "greedy; print prompt/greedy tokens and top-5 logits as JSON");
  return args;
}

struct RunOptions {
  std::filesystem::path model;
  std::string prompt;
  engine::GenerateParams generate;
  bool logits_json = false;
};

// Throws UsageError naming the flag for missing or bad values.
RunOptions parse_run_options(const Args& args) {
  RunOptions o;
  o.model = args.require("--model");
  o.prompt = args.require("--prompt");
  o.logits_json = args.has("--logits-json");
  const long long n = args.get_int("--n-predict").value_or(o.logits_json ? kDefaultJsonTokens : kDefaultTokens);
  if (n <= 0 || n > 1'000'000) throw UsageError("--n-predict needs an integer in [1, 1000000], got " + std::to_string(n));
  o.generate.max_tokens = static_cast<int32_t>(n);

  engine::SamplerParams& s = o.generate.sampling;
  if (auto t = args.get_double("--temp")) s.temperature = static_cast<float>(*t);
  if (auto k = args.get_int("--top-k")) {
    if (*k < 0 || *k > INT32_MAX) throw UsageError("--top-k needs a non-negative integer, got " + std::to_string(*k));
    s.top_k = static_cast<int32_t>(*k);
  }
  if (auto p = args.get_double("--top-p")) {
    if (!(*p >= 0.0 && *p <= 1.0)) throw UsageError("--top-p needs a number in [0, 1], got '" + *args.get("--top-p") + "'");
    s.top_p = static_cast<float>(*p);
  }
  if (auto seed = args.get_int("--seed")) {
    if (*seed < 0) throw UsageError("--seed needs a non-negative integer, got " + std::to_string(*seed));
    s.seed = static_cast<uint64_t>(*seed);
  } else {
    s.seed = std::random_device{}();
  }
  if (o.logits_json) s = engine::SamplerParams::greedy();
  try {
    engine::Sampler check(s);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  return o;
}

// [[token, logit], ...] of the kTopLogits highest logits, highest first.
nlohmann::ordered_json top_logits(std::span<const float> logits) {
  engine::Candidates c = engine::Candidates::from_logits(logits);
  engine::top_k(c, kTopLogits);
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& item : c.items) out.push_back({item.token, item.logit});
  return out;
}

// The golden-file record: prompt_topk[i] after feeding prompt[0..i], greedy_topk[j] the
// logits that chose greedy_tokens[j].
nlohmann::ordered_json logits_record(const engine::Model& model, const engine::Tokenizer& tokenizer,
                                     const RunOptions& o, const std::vector<engine::TokenId>& prompt) {
  const int64_t n_ctx = static_cast<int64_t>(prompt.size()) + o.generate.max_tokens;
  if (n_ctx > model.config().context_length)
    throw std::runtime_error("prompt (" + std::to_string(prompt.size()) + " tokens) + -n " +
                             std::to_string(o.generate.max_tokens) + " exceed the model's context of " +
                             std::to_string(model.config().context_length));
  engine::RunState state(model.config(), n_ctx);
  nlohmann::ordered_json record;
  record["model"] = o.model.filename().string();
  record["prompt"] = o.prompt;
  record["prompt_tokens"] = prompt;
  auto& prompt_topk = record["prompt_topk"] = nlohmann::ordered_json::array();
  std::span<const float> logits;
  int64_t pos = 0;
  const engine::Pass prompt_pass = engine::pass_for_batch(prompt.size());
  for (engine::TokenId token : prompt) {
    logits = engine::forward(model, state, token, pos++, prompt_pass);
    prompt_topk.push_back(top_logits(logits));
  }
  std::vector<engine::TokenId> greedy;
  auto greedy_topk = nlohmann::ordered_json::array();
  for (int32_t j = 0; j < o.generate.max_tokens; ++j) {
    greedy_topk.push_back(top_logits(logits));
    greedy.push_back(greedy_topk.back()[0][0].get<engine::TokenId>());
    if (j + 1 < o.generate.max_tokens) logits = engine::forward(model, state, greedy.back(), pos++);
  }
  record["greedy_tokens"] = greedy;
  record["greedy_topk"] = std::move(greedy_topk);
  record["greedy_text"] = tokenizer.detokenize(greedy, false, false);
  return record;
}

int run_run(const std::vector<std::string>& argv, Io io) {
  return report_errors("run", io, [&] {
    Args args = run_args();
    args.parse(argv);
    if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional().front() + "'");
    const RunOptions o = parse_run_options(args);
    const engine::Model model = engine::Model::load(o.model);
    const engine::Tokenizer tokenizer = engine::Tokenizer::from_gguf(model.file());
    const auto prompt = tokenizer.tokenize(o.prompt, true, true);
    if (prompt.empty()) throw std::runtime_error("the prompt tokenizes to nothing");
    if (o.logits_json) {
      io.out << logits_record(model, tokenizer, o, prompt)
                    .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
             << "\n";
      return kExitOk;
    }
    engine::generate(model, tokenizer, prompt, o.generate, [&](engine::TokenId, std::string_view text) {
      io.out << text << std::flush;
      return static_cast<bool>(io.out);
    });
    io.out << "\n";
    return kExitOk;
  });
}

}  // namespace

Command make_run_command() {
  return {"run", "run a local GGUF model on a prompt and stream the continuation",
          "usage: switchboard run -m MODEL -p PROMPT [-n N] [--temp T] [--seed S]\n"
          "         [--top-k K] [--top-p P] [--logits-json]\n\n"
          "Loads MODEL (a llama or qwen2 GGUF), tokenizes PROMPT (BOS added, special tokens\n"
          "parsed) and prints the continuation as it is generated. Generation stops after N\n"
          "tokens or at an end-of-generation token. --logits-json decodes greedily and prints\n"
          "one JSON object: prompt_tokens, prompt_topk, greedy_tokens, greedy_topk (top-5\n"
          "[token, logit] pairs), as in the reference golden files.\n\n" +
              run_args().describe(),
          run_run};
}

}  // namespace sb::cli
