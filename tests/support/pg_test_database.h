#pragma once
// A fresh PostgreSQL database for one test, on the server SB_TEST_PG_DSN names (scripts/test.sh
// starts a throwaway one with scripts/start_postgres.sh); dropped by the destructor.
#include <optional>
#include <string>

namespace sb::test {

class PgTestDatabase {
 public:
  // Why there is no server to test against (SB_TEST_PG_DSN unset); nullopt when there is.
  static std::optional<std::string> unavailable();

  PgTestDatabase();  // throws std::runtime_error when the database cannot be made
  ~PgTestDatabase();
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;

  const std::string& dsn() const { return dsn_; }  // key=value form, dbname set

 private:
  std::string name_;
  std::string dsn_;
};

}  // namespace sb::test
