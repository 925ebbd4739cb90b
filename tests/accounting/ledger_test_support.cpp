#include "tests/accounting/ledger_test_support.h"

#include <stdexcept>

#include "accounting/postgres/postgres_ledger_store.h"
#include "accounting/sqlite/sqlite_ledger_store.h"

namespace sb::accounting::test {

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
  if (kind == StoreKind::Postgres) return sb::test::PgTestDatabase::unavailable();
  return std::nullopt;
}

LedgerFixture::LedgerFixture(StoreKind kind) : kind_(kind) {
  if (kind_ == StoreKind::Postgres) database_ = std::make_unique<sb::test::PgTestDatabase>();
}

LedgerFixture::~LedgerFixture() = default;

std::unique_ptr<LedgerStore> LedgerFixture::open(const LedgerOptions& options) const {
  if (kind_ == StoreKind::Sqlite) {
    return std::make_unique<SqliteLedgerStore>(dir_.path() / "ledger.db", options);
  }
  return std::make_unique<PostgresLedgerStore>(database_->dsn(), options);
}

}  // namespace sb::accounting::test
