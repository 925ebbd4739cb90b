// The CLI as a user meets it: dispatch, help, version, exit codes and one-line errors of
// check-config, tokenize and synth (run has its own file).
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/cli/command.h"
#include "local_engine/gguf.h"
#include "tests/support/paths.h"

namespace sb::cli {
namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome cli(std::vector<std::string> args) {
  args.insert(args.begin(), "switchboard");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  const int code = main_dispatch(static_cast<int>(argv.size()), argv.data(), Io{out, err});
  return {code, out.str(), err.str()};
}

size_t lines(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }

TEST(Cli, HelpVersionAndUnknownCommands) {
  Outcome help = cli({"help"});
  EXPECT_EQ(help.code, kExitOk);
  for (const char* name : {"serve", "check-config", "run", "tokenize", "synth"})
    EXPECT_NE(help.out.find(std::string("  ") + name), std::string::npos) << name;
  EXPECT_EQ(cli({}).code, kExitUsage);
  Outcome version = cli({"version"});
  EXPECT_EQ(version.code, kExitOk);
  EXPECT_EQ(version.out.rfind("switchboard ", 0), 0u);
  Outcome unknown = cli({"frobnicate"});
  EXPECT_EQ(unknown.code, kExitUsage);
  EXPECT_EQ(unknown.err, "switchboard: unknown command 'frobnicate' (see 'switchboard help')\n");
  Outcome sub_help = cli({"check-config", "--help"});
  EXPECT_EQ(sub_help.code, kExitOk);
  EXPECT_NE(sub_help.out.find("usage: switchboard check-config"), std::string::npos);
}

TEST(Cli, CheckConfigAcceptsTheDefaultConfiguration) {
  Outcome r = cli({"check-config", (test::source_dir() / "policies.yaml").string()});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find(": ok ("), std::string::npos) << r.out;
}

TEST(Cli, CheckConfigNamesFileLineAndColumn) {
  test::TempDir dir;
  const auto path = dir.write("broken.yaml",
                              "local_models:\n"
                              "  - name: m\n"
                              "    path: m.gguf\n"
                              "    contxt: 512\n");
  Outcome r = cli({"check-config", path.string()});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_EQ(r.err.rfind(path.string() + ":4:5: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("contxt"), std::string::npos) << r.err;

  Outcome missing = cli({"check-config", (dir.path() / "nope.yaml").string()});
  EXPECT_EQ(missing.code, kExitFailure);
  EXPECT_NE(missing.err.find("nope.yaml"), std::string::npos);
  EXPECT_EQ(cli({"check-config"}).code, kExitUsage);
}

TEST(Cli, ServeWithABrokenConfigFailsInOneLine) {
  test::TempDir dir;
  const auto path = dir.write("bad.yaml", "server:\n  listen: [1, 2]\n");
  Outcome r = cli({"serve", "--config", path.string()});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find(path.string() + ":2:"), std::string::npos) << r.err;
  EXPECT_EQ(cli({"serve", "--bogus"}).code, kExitUsage);
}

TEST(Cli, TokenizePrintsIdsAndRejectsBadInput) {
  const std::string model = (test::shared_dir() / "models" / "stories260K.gguf").string();
  Outcome r = cli({"tokenize", "-m", model, "-p", "Hello world"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "1 346 306 414 263 304 341\n");
  EXPECT_EQ(cli({"tokenize", "-m", model, "--no-bos", "-p", "Hello world"}).out, "346 306 414 263 304 341\n");
  EXPECT_EQ(cli({"tokenize", "-m", model}).code, kExitUsage);  // neither -p nor -f
  Outcome missing = cli({"tokenize", "-m", "/nonexistent/model.gguf", "-p", "x"});
  EXPECT_EQ(missing.code, kExitFailure);
  EXPECT_NE(missing.err.find("/nonexistent/model.gguf"), std::string::npos);
}

TEST(Cli, SynthWithoutAVocabWritesALoadableModel) {
  test::TempDir dir;
  const auto out = dir.path() / "demo.gguf";
  Outcome r = cli({"synth", out.string(), "--dim", "64", "--layers", "2", "--heads", "4", "--kv-heads", "2",
                   "--ffn", "128", "--ctx", "256", "--seed", "3"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const auto file = engine::GgufFile::open(out);
  EXPECT_EQ(file.get_string("general.architecture"), "llama");
  EXPECT_EQ(file.get_string_array("tokenizer.ggml.tokens").size(), 260u);
  EXPECT_FALSE(std::filesystem::exists(out.string() + ".byte-vocab.tmp"));
  Outcome bad = cli({"synth", out.string(), "--dim", "66", "--heads", "4"});
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_EQ(bad.err, "switchboard synth: dim 66 is not divisible by heads 4\n");
}

}  // namespace
}  // namespace sb::cli
