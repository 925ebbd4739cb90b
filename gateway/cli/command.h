#pragma once
// The CLI: `switchboard <command> [args]`. Each command is one file (cmd_<name>.cpp)
// exposing a factory; commands.cpp lists them. Exit codes: 0 ok, 1 failure the command
// reports (bad config, bad model file), 2 usage error.
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace sb::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct Io {
  std::ostream& out;
  std::ostream& err;
};

struct Command {
  std::string name;
  std::string summary;  // one line for `switchboard help`
  std::string usage;    // full text for `switchboard <name> --help`
  // args excludes the program and command names. Must not throw for bad user input:
  // print one line to io.err and return kExitUsage / kExitFailure.
  std::function<int(const std::vector<std::string>& args, Io io)> run;
};

// Runs a command body and reports what it throws as one line "switchboard NAME: message":
// UsageError exits kExitUsage, any other exception kExitFailure. Every command uses it.
int report_errors(const std::string& name, Io io, const std::function<int()>& body);

// Every command, in the order `help` lists them.
std::vector<Command> all_commands();

// Dispatches argv; handles `help`, `--help`, `version` and unknown commands.
int main_dispatch(int argc, char** argv, Io io);

}  // namespace sb::cli
