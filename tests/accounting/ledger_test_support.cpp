#include "tests/accounting/ledger_test_support.h"

#include <cstdlib>
#include <random>
#include <stdexcept>

#include <libpq-fe.h>

#include "accounting/postgres/pg_connection.h"
#include "accounting/postgres/postgres_ledger_store.h"
#include "accounting/sqlite/sqlite_ledger_store.h"

namespace sb::accounting::test {

namespace {

std::optional<std::string> base_dsn() {
  const char* dsn = std::getenv("SB_TEST_PG_DSN");
  if (!dsn || !*dsn) return std::nullopt;
  return std::string(dsn);
}

// The DSN with its dbname replaced (works for key=value and URI forms alike).
std::string with_database(const std::string& dsn, const std::string& database) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
  if (!options) {
    const std::string message = error ? error : "out of memory";
    PQfreemem(error);
    throw std::runtime_error("SB_TEST_PG_DSN does not parse: " + message);
  }
  const auto quoted = [](std::string_view v) {
    std::string out = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    return out + "'";
  };
  std::string result;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (std::string_view(o->keyword) == "dbname" || !o->val) continue;
    result += std::string(o->keyword) + "=" + quoted(o->val) + " ";
  }
  PQconninfoFree(options);
  return result + "dbname=" + quoted(database);
}

std::string random_suffix() {
  std::random_device rd;
  return std::to_string(rd()) + std::to_string(rd());
}

}  // namespace

Timestamp at(std::string_view iso8601) {
  const auto t = parse_iso8601(iso8601);
  if (!t) throw std::invalid_argument("bad timestamp literal " + std::string(iso8601));
  return *t;
}

ReserveRequest reservation(std::string id, std::string team, Money amount, BudgetCaps caps,
                           Timestamp now, std::string model) {
  ReserveRequest r;
  r.request_id = std::move(id);
  r.team = std::move(team);
  r.key_id = "key-1";
  r.model = std::move(model);
  r.input_estimate = Money{amount.nanousd / 4};
  r.output_max = amount - r.input_estimate;
  r.caps = caps;
  r.now = now;
  return r;
}

std::string numbered(std::string_view prefix, int i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

Charge charge_of(Money cost, std::string target, uint32_t flags) {
  Charge c;
  c.target = std::move(target);
  c.usage = Usage{.prompt_tokens = 100, .completion_tokens = 50};
  c.cost = cost;
  c.flags = flags;
  return c;
}

std::string store_name(StoreKind kind) { return kind == StoreKind::Sqlite ? "Sqlite" : "Postgres"; }

std::optional<std::string> unavailable(StoreKind kind) {
  if (kind == StoreKind::Postgres && !base_dsn()) {
    return "SB_TEST_PG_DSN is not set: no PostgreSQL server to test against "
           "(scripts/test.sh starts one with scripts/start_postgres.sh)";
  }
  return std::nullopt;
}

LedgerFixture::LedgerFixture(StoreKind kind) : kind_(kind) {
  if (kind_ != StoreKind::Postgres) return;
  database_ = "sb_ledger_test_" + random_suffix();
  postgres::Connection admin(*base_dsn());
  admin.exec("CREATE DATABASE " + database_);
  dsn_ = with_database(*base_dsn(), database_);
}

LedgerFixture::~LedgerFixture() {
  if (database_.empty()) return;
  try {
    postgres::Connection admin(*base_dsn());
    admin.exec("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // A leftover database in a throwaway test server is harmless.
  }
}

std::unique_ptr<LedgerStore> LedgerFixture::open(const LedgerOptions& options) const {
  if (kind_ == StoreKind::Sqlite) {
    return std::make_unique<SqliteLedgerStore>(dir_.path() / "ledger.db", options);
  }
  return std::make_unique<PostgresLedgerStore>(dsn_, options);
}

}  // namespace sb::accounting::test
