// switchboard route --config F -f request.json: prints the routing decision for a chat
// completion request, calling nothing.
#include <fstream>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "connectors/openai/openai_wire.h"
#include "core/config/config.h"
#include "core/config/config_enums.h"
#include "gateway/cli/args.h"
#include "gateway/cli/command.h"
#include "policies/policy_engine.h"

namespace sb::cli {
namespace {

constexpr const char* kRouteUsage =
    "usage: switchboard route --config FILE -f REQUEST.json [--team NAME] [--privacy ACTION]\n"
    "\n"
    "Prints, as JSON, the decision the gateway would make for REQUEST.json (the body of a\n"
    "POST /v1/chat/completions): privacy verdict, difficulty, ordered targets with their\n"
    "cost estimates, reasons, or the rejection. Nothing is sent anywhere. --team applies a\n"
    "team's privacy settings; --privacy is the x-switchboard-privacy header.\n";

int run_route(const std::vector<std::string>& argv, Io io) {
  return report_errors("route", io, [&] {
    Args args;
    args.option({"--config", "-c"}, "policies.yaml")
        .option({"-f", "--file"}, "request body (JSON)")
        .option({"--team"}, "team name from the config")
        .option({"--privacy"}, "x-switchboard-privacy header value");
    args.parse(argv);
    if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional().front() + "'");
    const config::Config config = config::load_config(args.require("--config"), config::process_env());

    config::TeamConfig no_team;
    no_team.name = "(no team)";
    const config::TeamConfig* team = &no_team;
    if (auto name = args.get("--team")) {
      team = config.find_team(*name);
      if (!team) throw UsageError("no team '" + *name + "' in " + config.source.string());
    }
    std::optional<config::PrivacyAction> header;
    if (auto value = args.get("--privacy")) {
      header = config::parse_enum(config::kPrivacyActionNames, *value);
      if (!header)
        throw UsageError("--privacy must be one of " + config::enum_names(config::kPrivacyActionNames));
    }

    const std::string file = args.require("--file");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error(file + ": cannot open");
    std::stringstream text;
    text << in.rdbuf();
    const auto body = nlohmann::json::parse(text.str(), nullptr, false);
    if (body.is_discarded()) throw std::runtime_error(file + ": not valid JSON");
    ChatRequest request;
    try {
      request = connectors::openai::parse_request(body);
    } catch (const ApiError& e) {
      throw std::runtime_error(file + ": " + e.what());
    }

    const policies::PolicyEngine engine(config, policies::DifficultyModel::builtin());
    io.out << engine.decide({request, *team, "dec_cli", header, std::nullopt}).to_json().dump(2) << "\n";
    return kExitOk;
  });
}

}  // namespace

Command make_route_command() {
  return Command{"route", "explain where a request would be routed, without sending it", kRouteUsage, run_route};
}

}  // namespace sb::cli
