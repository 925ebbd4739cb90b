#include <iostream>
#include <string_view>

#include "gateway/cli/args.h"
#include "gateway/cli/command.h"

namespace sb::cli {

Command make_serve_command();
Command make_check_config_command();
Command make_run_command();
Command make_tokenize_command();
Command make_synth_command();
Command make_route_command();
Command make_classify_command();
Command make_spend_command();

std::vector<Command> all_commands() {
  return {
      make_serve_command(),
      make_check_config_command(),
      make_run_command(),
      make_tokenize_command(),
      make_synth_command(),
      make_route_command(),
      make_classify_command(),
      make_spend_command(),
  };
}

int report_errors(const std::string& name, Io io, const std::function<int()>& body) {
  try {
    return body();
  } catch (const UsageError& e) {
    io.err << "switchboard " << name << ": " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    io.err << "switchboard " << name << ": " << e.what() << "\n";
    return kExitFailure;
  }
}

namespace {

void print_help(std::ostream& out, const std::vector<Command>& commands) {
  out << "switchboard " << SB_VERSION << " — one OpenAI-compatible endpoint for local and cloud models\n\n"
      << "usage: switchboard <command> [options]\n\ncommands:\n";
  for (const auto& c : commands) out << "  " << c.name << std::string(c.name.size() < 14 ? 14 - c.name.size() : 1, ' ') << c.summary << "\n";
  out << "  version       print the version\n"
      << "  help          this text\n\n"
      << "Run 'switchboard <command> --help' for a command's options.\n";
}

}  // namespace

int main_dispatch(int argc, char** argv, Io io) {
  const auto commands = all_commands();
  if (argc < 2) {
    print_help(io.err, commands);
    return kExitUsage;
  }
  std::string_view name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") {
    print_help(io.out, commands);
    return kExitOk;
  }
  if (name == "version" || name == "--version") {
    io.out << "switchboard " << SB_VERSION << "\n";
    return kExitOk;
  }
  for (const auto& c : commands) {
    if (c.name != name) continue;
    std::vector<std::string> args(argv + 2, argv + argc);
    for (const auto& a : args)
      if (a == "--help" || a == "-h") {
        io.out << c.usage;
        return kExitOk;
      }
    return c.run(args, io);
  }
  io.err << "switchboard: unknown command '" << name << "' (see 'switchboard help')\n";
  return kExitUsage;
}

}  // namespace sb::cli
