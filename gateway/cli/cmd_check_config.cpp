// switchboard check-config FILE: loads and validates a policies.yaml, prints a one-line
// summary (warnings on stderr) or the one-line error.
#include <algorithm>
#include <ostream>

#include "core/config/config.h"
#include "gateway/cli/args.h"
#include "gateway/cli/command.h"

namespace sb::cli {

namespace {

constexpr const char* kCheckConfigUsage =
    "usage: switchboard check-config FILE\n"
    "\n"
    "Loads FILE (a policies.yaml) with the process environment, as the gateway would, and\n"
    "reports either a summary or the first error as FILE:LINE:COL: message.\n"
    "Exit status: 0 valid, 1 invalid, 2 usage error.\n";

// "FILE: ok (1 local models, 4 providers (2 disabled), 2 routes, 2 teams)"
std::string summary(const std::string& file, const config::Config& c) {
  const auto disabled =
      std::count_if(c.providers.begin(), c.providers.end(), [](const config::ProviderConfig& p) { return !p.enabled; });
  return file + ": ok (" + std::to_string(c.local_models.size()) + " local models, " +
         std::to_string(c.providers.size()) + " providers (" + std::to_string(disabled) + " disabled), " +
         std::to_string(c.routes.size()) + " routes, " + std::to_string(c.teams.size()) + " teams)";
}

int run_check_config(const std::vector<std::string>& argv, Io io) {
  return report_errors("check-config", io, [&] {
    Args args;
    args.parse(argv);
    if (args.positional().size() != 1)
      throw UsageError("expected exactly one FILE (usage: switchboard check-config FILE)");
    const std::string& file = args.positional().front();
    try {
      const config::Config config = config::load_config(file, config::process_env());
      for (const std::string& warning : config.warnings) io.err << file << ": warning: " << warning << "\n";
      io.out << summary(file, config) << "\n";
      return kExitOk;
    } catch (const config::ConfigError& e) {
      io.err << e.what() << "\n";  // already "file:line:col: message"
      return kExitFailure;
    }
  });
}

}  // namespace

Command make_check_config_command() {
  return Command{"check-config", "validate a policies.yaml and summarize it", kCheckConfigUsage, run_check_config};
}

}  // namespace sb::cli
