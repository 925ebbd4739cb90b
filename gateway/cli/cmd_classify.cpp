// switchboard classify [--config F] --jsonl FILE: runs the privacy detectors and the
// difficulty scorer over prompts, one JSON line in, one JSON line out.
#include <fstream>
#include <ostream>

#include <nlohmann/json.hpp>

#include "core/config/config.h"
#include "gateway/cli/args.h"
#include "gateway/cli/command.h"
#include "policies/difficulty/difficulty_model.h"
#include "policies/privacy/privacy_scanner.h"

namespace sb::cli {
namespace {

using nlohmann::json;

constexpr const char* kClassifyUsage =
    "usage: switchboard classify [--config FILE] --jsonl FILE\n"
    "\n"
    "Reads lines {\"id\", \"text\"} (or \"prompt\") and prints one line per input:\n"
    "{\"id\", \"findings\": [{\"type\", \"start\", \"end\", \"value\"}], \"difficulty\": float},\n"
    "with start/end in Unicode code points. --config adds the custom detectors of a\n"
    "policies.yaml. A line that cannot be read is reported on stderr as FILE:LINE: problem\n"
    "and skipped; the exit status is then 1.\n";

json classify(const policies::PrivacyScanner& scanner, const policies::DifficultyModel& difficulty,
              const json& id, const std::string& text) {
  json findings = json::array();
  for (const auto& f : scanner.scan(text))
    findings.push_back({{"type", f.type},
                        {"start", policies::codepoint_offset(text, f.start)},
                        {"end", policies::codepoint_offset(text, f.end)},
                        {"value", text.substr(f.start, f.end - f.start)}});
  return {{"id", id}, {"findings", std::move(findings)}, {"difficulty", difficulty.score(text)}};
}

int run_classify(const std::vector<std::string>& argv, Io io) {
  return report_errors("classify", io, [&] {
    Args args;
    args.option({"--config", "-c"}, "policies.yaml whose custom detectors to add")
        .option({"--jsonl"}, "input file, one JSON object per line");
    args.parse(argv);
    if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional().front() + "'");
    const std::string file = args.require("--jsonl");
    config::PrivacyConfig privacy;
    if (auto config_file = args.get("--config"))
      privacy = config::load_config(*config_file, config::process_env()).privacy;
    const policies::PrivacyScanner scanner(privacy);
    const policies::DifficultyModel difficulty = policies::DifficultyModel::builtin();

    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error(file + ": cannot open");
    int status = kExitOk;
    std::string line;
    for (size_t number = 1; std::getline(in, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const json item = json::parse(line, nullptr, false);
      const json* text = nullptr;
      if (item.is_object()) {
        if (auto it = item.find("text"); it != item.end() && it->is_string()) text = &*it;
        else if (auto p = item.find("prompt"); p != item.end() && p->is_string()) text = &*p;
      }
      if (!text) {
        io.err << file << ":" << number << ": "
               << (item.is_discarded() ? "not valid JSON" : "expected an object with a string \"text\" or \"prompt\"")
               << "\n";
        status = kExitFailure;
        continue;
      }
      io.out << classify(scanner, difficulty, item.value("id", json(nullptr)), text->get<std::string>()).dump()
             << "\n";
    }
    return status;
  });
}

}  // namespace

Command make_classify_command() {
  return Command{"classify", "run the privacy detectors and difficulty scorer over a JSONL file", kClassifyUsage,
                 run_classify};
}

}  // namespace sb::cli
