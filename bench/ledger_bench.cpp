// Ledger throughput: bookings per second for each LedgerStore. One booking is what a request
// costs the ledger: a reservation checked against the team's caps, then its settlement; both
// durable when they return (SQLite: WAL + synchronous=FULL with group commit; PostgreSQL:
// synchronous_commit as the server has it). Many client threads book at once, as a busy gateway
// does; the figures are wall-clock for the whole run.
//   ledger_bench [--threads N] [--bookings N] [--sqlite PATH] [--pg-dsn DSN] [--only sqlite|postgres]
// Without --pg-dsn the DSN comes from SB_TEST_PG_DSN; without one the PostgreSQL run is skipped.
// The PostgreSQL run books into that database under a team and ids unique to the run.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "accounting/postgres/postgres_ledger_store.h"
#include "accounting/sqlite/sqlite_ledger_store.h"

namespace {

using namespace sb::accounting;
using Clock = std::chrono::steady_clock;

struct Options {
  int threads = 64;
  int bookings = 20000;
  std::filesystem::path sqlite_path;
  std::optional<std::string> pg_dsn;
  std::string only;
};

std::string run_tag() {
  std::random_device rd;
  return std::to_string(rd());
}

// Books `bookings` requests from `threads` threads; returns the seconds it took.
double book(LedgerStore& store, const Options& options, const std::string& tag) {
  const Timestamp now = from_unix_ms(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch()).count());
  const BudgetCaps caps{Money::from_usd(1e9), Money::from_usd(1e9)};  // checked, never binding
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  const auto worker = [&] {
    for (int i = next++; i < options.bookings; i = next++) {
      std::string id = tag;
      id += '-';
      id += std::to_string(i);
      ReserveRequest request;
      request.request_id = id;
      request.team = "bench-" + tag;
      request.key_id = "key-" + std::to_string(i % 16);
      request.model = "gpt-4o";
      request.input_estimate = Money::from_usd(0.001);
      request.output_max = Money::from_usd(0.004);
      request.caps = caps;
      request.now = now;
      if (!std::holds_alternative<Reservation>(store.reserve(request))) {
        ++failures;
        continue;
      }
      Charge charge;
      charge.target = "gpt-4o";
      charge.usage = sb::Usage{.prompt_tokens = 400, .completion_tokens = 150};
      charge.cost = Money::from_usd(0.0025);
      if (store.settle(id, charge, now) != SettleOutcome::Settled) ++failures;
    }
  };
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < options.threads; ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (failures > 0) std::printf("  (%d bookings failed)\n", failures.load());
  return seconds;
}

void report(const char* store, const Options& options, double seconds) {
  std::printf("%-10s %6d bookings (reserve + settle) from %3d threads in %6.2f s: %8.0f bookings/s\n",
              store, options.bookings, options.threads, seconds, options.bookings / seconds);
}

int usage_error(const char* arg) {
  std::fprintf(stderr, "ledger_bench: bad argument %s\n"
               "usage: ledger_bench [--threads N] [--bookings N] [--sqlite PATH] [--pg-dsn DSN]"
               " [--only sqlite|postgres]\n", arg);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (const char* dsn = std::getenv("SB_TEST_PG_DSN"); dsn && *dsn) options.pg_dsn = dsn;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage_error(argv[i]);
    const char* value = argv[++i];
    if (arg == "--threads") {
      options.threads = std::atoi(value);
    } else if (arg == "--bookings") {
      options.bookings = std::atoi(value);
    } else if (arg == "--sqlite") {
      options.sqlite_path = value;
    } else if (arg == "--pg-dsn") {
      options.pg_dsn = value;
    } else if (arg == "--only") {
      options.only = value;
    } else {
      return usage_error(argv[i - 1]);
    }
  }
  if (options.threads < 1 || options.bookings < 1) return usage_error("--threads/--bookings");
  const std::string tag = run_tag();

  try {
    if (options.only.empty() || options.only == "sqlite") {
      const bool temporary = options.sqlite_path.empty();
      const auto dir = std::filesystem::temp_directory_path() / ("ledger_bench_" + tag);
      if (temporary) {
        std::filesystem::create_directories(dir);
        options.sqlite_path = dir / "ledger.db";
      }
      {
        SqliteLedgerStore store(options.sqlite_path);
        report("sqlite", options, book(store, options, tag));
      }
      if (temporary) std::filesystem::remove_all(dir);
    }
    if (options.only.empty() || options.only == "postgres") {
      if (!options.pg_dsn) {
        std::printf("postgres   skipped: no --pg-dsn and SB_TEST_PG_DSN is not set\n");
      } else {
        PostgresLedgerStore store(*options.pg_dsn);
        report("postgres", options, book(store, options, tag));
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ledger_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
