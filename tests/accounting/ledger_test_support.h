#pragma once
// Helpers for the ledger tests: fixed instants, reservation requests, and a fresh ledger per
// test for each store (an SQLite file in a temp dir, or a new PostgreSQL database on the server
// SB_TEST_PG_DSN names; scripts/test.sh starts one with scripts/start_postgres.sh).
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "accounting/ledger_store.h"
#include "tests/support/paths.h"
#include "tests/support/pg_test_database.h"

namespace sb::accounting::test {

Timestamp at(std::string_view iso8601);  // throws on a malformed literal

// The instant the ledger tests call "now", and dollar amounts written as numbers.
inline const Timestamp kNow = at("2025-03-15T12:00:00Z");
inline Money usd(double v) { return Money::from_usd(v); }

// A reservation of `amount` (a quarter of it input estimate, the rest output).
ReserveRequest reservation(std::string id, std::string team, Money amount, BudgetCaps caps,
                           Timestamp now, std::string model = "gpt-4o");

// prefix followed by i ("c7"). (Not "c" + std::to_string(i): GCC 12 -Wrestrict false positive.)
std::string numbered(std::string_view prefix, int i);

Charge charge_of(Money cost, std::string target = "gpt-4o", uint32_t flags = 0);

enum class StoreKind { Sqlite, Postgres };
std::string store_name(StoreKind kind);  // for test names: "Sqlite" | "Postgres"
inline void PrintTo(StoreKind kind, std::ostream* os) { *os << store_name(kind); }

// Why a store cannot be tested here (PostgreSQL without SB_TEST_PG_DSN); nullopt when it can.
std::optional<std::string> unavailable(StoreKind kind);

// One empty ledger for one test. open() may be called again, also from a forked child, to get
// another handle on the same ledger (a restart, or a second gateway process).
class LedgerFixture {
 public:
  explicit LedgerFixture(StoreKind kind);
  ~LedgerFixture();
  LedgerFixture(const LedgerFixture&) = delete;
  LedgerFixture& operator=(const LedgerFixture&) = delete;

  std::unique_ptr<LedgerStore> open(const LedgerOptions& options = {}) const;

 private:
  StoreKind kind_;
  sb::test::TempDir dir_;
  std::unique_ptr<sb::test::PgTestDatabase> database_;  // PostgreSQL: made for this test
};

}  // namespace sb::accounting::test
