// `switchboard run` in-process: the --logits-json record against the reference's golden
// file, streamed text, and one-line errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/cli/command.h"
#include "tests/support/paths.h"

namespace sb::cli {
Command make_run_command();

namespace {

struct RunOutcome {
  int code;
  std::string out;
  std::string err;
};

RunOutcome run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = make_run_command().run(args, Io{out, err});
  return {code, out.str(), err.str()};
}

std::string stories() { return (test::shared_dir() / "models" / "stories260K.gguf").string(); }

nlohmann::json golden_stories() {
  std::ifstream in(test::shared_dir() / "golden" / "stories260K.jsonl");
  std::string line;
  std::getline(in, line);
  return nlohmann::json::parse(line);
}

void expect_topk_near(const nlohmann::json& ours, const nlohmann::json& ref, const std::string& where) {
  ASSERT_EQ(ours.size(), ref.size()) << where;
  for (size_t i = 0; i < ref.size(); ++i) {
    ASSERT_EQ(ours[i].size(), 5u) << where;
    EXPECT_EQ(ours[i][0][0], ref[i][0][0]) << where << " " << i << ": top-1";
    for (size_t k = 0; k < 5; ++k) {
      const double r = ref[i][k][1].get<double>(), o = ours[i][k][1].get<double>();
      EXPECT_NEAR(o, r, 1e-3 + 1e-3 * std::fabs(r)) << where << " " << i << " rank " << k;
    }
  }
}

TEST(CmdRun, LogitsJsonMatchesTheGoldenFile) {
  const nlohmann::json golden = golden_stories();
  const RunOutcome r = run({"-m", stories(), "-p", golden["prompt"].get<std::string>(), "-n",
                         std::to_string(golden["greedy_tokens"].size()), "--logits-json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const nlohmann::json ours = nlohmann::json::parse(r.out);
  EXPECT_EQ(ours["model"], "stories260K.gguf");
  EXPECT_EQ(ours["prompt_tokens"], golden["prompt_tokens"]);
  EXPECT_EQ(ours["greedy_tokens"], golden["greedy_tokens"]);
  EXPECT_EQ(ours["greedy_text"], golden["greedy_text"]);
  expect_topk_near(ours["prompt_topk"], golden["prompt_topk"], "prompt_topk");
  expect_topk_near(ours["greedy_topk"], golden["greedy_topk"], "greedy_topk");
}

TEST(CmdRun, TellsAStoryReproduciblyWithASeed) {
  const std::vector<std::string> args = {"-m", stories(), "-p", "Once upon a time", "-n", "40", "--seed", "7"};
  const RunOutcome a = run(args);
  ASSERT_EQ(a.code, kExitOk) << a.err;
  EXPECT_EQ(a.err, "");
  EXPECT_GT(a.out.size(), 40u);
  EXPECT_EQ(a.out.back(), '\n');
  EXPECT_EQ(run(args).out, a.out);

  const RunOutcome greedy = run({"-m", stories(), "-p", "Once upon a time there was a little fox", "-n", "8",
                              "--temp", "0"});
  ASSERT_EQ(greedy.code, kExitOk) << greedy.err;
  const std::string expected = golden_stories()["greedy_text"].get<std::string>();
  EXPECT_EQ(greedy.out.substr(0, greedy.out.size() - 1), expected.substr(0, greedy.out.size() - 1));
}

TEST(CmdRun, BadInputIsOneLineWithTheRightExitCode) {
  RunOutcome r = run({"-p", "hi"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(r.err, "switchboard run: missing --model\n");

  r = run({"-m", stories(), "-p", "hi", "--temp", "warm"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(r.err, "switchboard run: --temp needs a number, got 'warm'\n");

  r = run({"-m", stories(), "-p", "hi", "--top-p", "2"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(r.err, "switchboard run: --top-p needs a number in [0, 1], got '2'\n");

  r = run({"-m", "/nonexistent/model.gguf", "-p", "hi"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_EQ(r.err.rfind("switchboard run: /nonexistent/model.gguf", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

}  // namespace
}  // namespace sb::cli
