// switchboard spend: the ledger of a configuration as a table or CSV.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "accounting/sqlite/sqlite_ledger_store.h"
#include "gateway/cli/command.h"
#include "tests/support/paths.h"

namespace sb::cli {
namespace {

struct SpendOutcome {
  int code;
  std::string out;
  std::string err;
};

SpendOutcome spend(std::vector<std::string> args) {
  args.insert(args.begin(), {"switchboard", "spend"});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  const int code = main_dispatch(static_cast<int>(argv.size()), argv.data(), Io{out, err});
  return {code, out.str(), err.str()};
}

class SpendCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = dir_.write("policies.yaml",
                         "ledger:\n  path: spend.db\n"
                         "providers:\n  - {name: up, kind: openai_compatible, base_url: http://127.0.0.1:9/v1, models: [m]}\n"
                         "prices:\n  m: {input: 1, output: 1}\n"
                         "teams:\n  - {name: eng, keys: [k1]}\n  - {name: ops, keys: [k2]}\n");
    accounting::SqliteLedgerStore ledger(dir_.path() / "spend.db");
    const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    book(ledger, "r1", "eng", "gpt-4o", 0.25, now);
    book(ledger, "r2", "eng", "stories, local", 0, now);  // a comma: quoted in CSV
    book(ledger, "r3", "ops", "gpt-4o", 1.5, now);
    book(ledger, "old", "eng", "gpt-4o", 9, accounting::parse_iso8601("2020-01-15").value());
  }

  static void book(accounting::LedgerStore& ledger, const std::string& id, const std::string& team,
                   const std::string& target, double usd, accounting::Timestamp when) {
    accounting::ReserveRequest r;
    r.request_id = id;
    r.team = team;
    r.key_id = team;
    r.model = target;
    r.now = when;
    ledger.reserve(r);
    accounting::Charge c;
    c.target = target;
    c.usage = Usage{.prompt_tokens = 100, .completion_tokens = 10};
    c.cost = accounting::Money::from_usd(usd);
    ledger.settle(id, c, when);
  }

  test::TempDir dir_;
  std::filesystem::path config_;
};

TEST_F(SpendCommandTest, PrintsThisMonthPerDayWithATotal) {
  const SpendOutcome o = spend({"--config", config_.string()});
  ASSERT_EQ(o.code, kExitOk) << o.err;
  EXPECT_NE(o.out.find("requests"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("1.750000"), std::string::npos) << o.out;  // 0.25 + 0 + 1.5; not 2020's $9
  EXPECT_EQ(o.out.find("9.000000"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("total"), std::string::npos) << o.out;
}

TEST_F(SpendCommandTest, FiltersByTeamAndWritesCsv) {
  const SpendOutcome o = spend({"--config", config_.string(), "--team", "eng", "--since", "2020-01-01",
                           "--group-by", "target", "--csv"});
  ASSERT_EQ(o.code, kExitOk) << o.err;
  EXPECT_EQ(o.out,
            "target,requests,prompt_tokens,completion_tokens,cached_prompt_tokens,cost_usd,savings_usd,"
            "estimated_requests\n"
            "gpt-4o,2,200,20,0,9.250000,0.000000,0\n"
            "\"stories, local\",1,100,10,0,0.000000,0.000000,0\n");
}

TEST_F(SpendCommandTest, BadArgumentsAreUsageErrors) {
  EXPECT_EQ(spend({"--config", config_.string(), "--group-by", "week"}).code, kExitUsage);
  const SpendOutcome bad_date = spend({"--config", config_.string(), "--since", "last-tuesday"});
  EXPECT_EQ(bad_date.code, kExitUsage);
  EXPECT_NE(bad_date.err.find("switchboard spend: --since"), std::string::npos) << bad_date.err;
  EXPECT_EQ(spend({"--config", (dir_.path() / "missing.yaml").string()}).code, kExitFailure);
}

}  // namespace
}  // namespace sb::cli
