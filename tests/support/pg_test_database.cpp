#include "tests/support/pg_test_database.h"

#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>
#include <string_view>

#include <libpq-fe.h>

namespace sb::test {

namespace {

std::optional<std::string> base_dsn() {
  const char* dsn = std::getenv("SB_TEST_PG_DSN");
  if (!dsn || !*dsn) return std::nullopt;
  return std::string(dsn);
}

// Runs one statement on the server's default database; throws with the server's message.
void run_admin(const std::string& sql) {
  std::unique_ptr<PGconn, void (*)(PGconn*)> conn(PQconnectdb(base_dsn().value().c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error(std::string("SB_TEST_PG_DSN: cannot connect: ") + PQerrorMessage(conn.get()));
  }
  PQsetNoticeProcessor(conn.get(), [](void*, const char*) {}, nullptr);
  std::unique_ptr<PGresult, void (*)(PGresult*)> result(PQexec(conn.get(), sql.c_str()), &PQclear);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    throw std::runtime_error(sql + ": " + PQerrorMessage(conn.get()));
  }
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

}  // namespace

std::optional<std::string> PgTestDatabase::unavailable() {
  if (base_dsn()) return std::nullopt;
  return "SB_TEST_PG_DSN is not set: no PostgreSQL server to test against "
         "(scripts/test.sh starts one with scripts/start_postgres.sh)";
}

PgTestDatabase::PgTestDatabase() {
  std::random_device rd;
  name_ = "sb_test_" + std::to_string(rd()) + std::to_string(rd());
  run_admin("CREATE DATABASE " + name_);
  dsn_ = with_database(*base_dsn(), name_);
}

PgTestDatabase::~PgTestDatabase() {
  try {
    run_admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // A leftover database in a throwaway test server is harmless.
  }
}

}  // namespace sb::test
