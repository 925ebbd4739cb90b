// switchboard spend [--config F] [--team T] [--since D] [--until D] [--group-by G] [--csv]:
// prints the spend ledger of the configuration (ledger: in policies.yaml), grouped.
#include <chrono>
#include <cstdio>
#include <ostream>

#include "accounting/ledger_store.h"
#include "accounting/spend_report.h"
#include "core/config/config.h"
#include "gateway/cli/args.h"
#include "gateway/cli/command.h"

namespace sb::cli {
namespace {

constexpr const char* kSpendUsage =
    "usage: switchboard spend [--config FILE] [--team NAME] [--since DATE] [--until DATE]\n"
    "                         [--group-by day|model|target|team] [--csv]\n"
    "\n"
    "Prints what was booked in the spend ledger (ledger: in the configuration) from --since\n"
    "(default: the first of this month, UTC) up to, not including, --until (default: tomorrow),\n"
    "grouped by day (default), requested model, answering target or team. DATE is 2025-03-01\n"
    "or 2025-03-01T12:00:00Z. savings: what the tokens served locally would have cost on the\n"
    "route's first cloud model. estimated: bookings whose usage the provider did not report.\n";

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string money(accounting::Money m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", m.usd());
  return buf;
}

void print_csv(std::ostream& out, accounting::GroupBy group_by, const std::vector<accounting::SpendRow>& rows) {
  out << to_string(group_by)
      << ",requests,prompt_tokens,completion_tokens,cached_prompt_tokens,cost_usd,savings_usd,"
         "estimated_requests\n";
  for (const auto& r : rows) {
    out << csv_field(r.group) << ',' << r.requests << ',' << r.prompt_tokens << ',' << r.completion_tokens << ','
        << r.cached_prompt_tokens << ',' << money(r.cost) << ',' << money(r.savings) << ','
        << r.estimated_requests << '\n';
  }
}

void print_table(std::ostream& out, accounting::GroupBy group_by, const std::vector<accounting::SpendRow>& rows) {
  size_t width = std::string(to_string(group_by)).size();
  for (const auto& r : rows) width = std::max(width, r.group.size());
  width = std::max<size_t>(width, 5);  // "total"
  const auto line = [&](const std::string& group, const std::string& requests, const std::string& prompt,
                        const std::string& completion, const std::string& cost, const std::string& savings,
                        const std::string& estimated) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "%-*s %9s %12s %12s %14s %14s %9s\n", static_cast<int>(width), group.c_str(),
                  requests.c_str(), prompt.c_str(), completion.c_str(), cost.c_str(), savings.c_str(),
                  estimated.c_str());
    out << buf;
  };
  const auto row = [&](const accounting::SpendRow& r) {
    line(r.group, std::to_string(r.requests), std::to_string(r.prompt_tokens), std::to_string(r.completion_tokens),
         money(r.cost), money(r.savings), std::to_string(r.estimated_requests));
  };
  line(to_string(group_by), "requests", "prompt", "completion", "cost_usd", "savings_usd", "estimated");
  for (const auto& r : rows) row(r);
  row(accounting::total_of(rows));
}

int run_spend(const std::vector<std::string>& argv, Io io) {
  return report_errors("spend", io, [&] {
    Args args;
    args.option({"-c", "--config"}, "configuration file (default: policies.yaml)")
        .option({"--team"}, "only this team")
        .option({"--since"}, "first day (default: the first of this month, UTC)")
        .option({"--until"}, "end, not included (default: tomorrow, UTC)")
        .option({"--group-by"}, "day (default), model, target or team")
        .flag({"--csv"}, "comma-separated values instead of a table");
    args.parse(argv);
    if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional().front() + "'");
    const auto group_by = accounting::parse_group_by(args.get_or("--group-by", "day"));
    if (!group_by) throw UsageError("--group-by must be one of day, model, target, team");
    const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const auto since = args.get("--since");
    const auto until = args.get("--until");
    const auto period = accounting::spend_period(since, until, now);
    if (!period) throw UsageError("--since and --until take a date (2025-03-01) or a UTC time (2025-03-01T12:00:00Z)");

    const config::Config config =
        config::load_config(args.get_or("--config", "policies.yaml"), config::process_env());
    const auto team = args.get("--team");
    const auto ledger = accounting::open_ledger(config.ledger);
    const auto rows = ledger->spend({team, period->from, period->to, *group_by});
    if (args.has("--csv")) {
      print_csv(io.out, *group_by, rows);
    } else {
      print_table(io.out, *group_by, rows);
    }
    return kExitOk;
  });
}

}  // namespace

Command make_spend_command() { return {"spend", "print what the ledger booked, per day, model, target or team", kSpendUsage, run_spend}; }

}  // namespace sb::cli
