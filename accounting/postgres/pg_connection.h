#pragma once
// A thin RAII layer over libpq: connections, results, and a small connection pool. Errors
// throw PgError carrying the SQLSTATE so callers can retry deadlocks and lost connections.
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libpq-fe.h>

#include "accounting/ledger_types.h"

namespace sb::accounting::postgres {

class PgError : public LedgerError {
 public:
  PgError(const std::string& message, std::string sqlstate)
      : LedgerError(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }  // empty when the connection failed
  // Deadlock, serialization failure or a lost connection: the transaction may simply be rerun.
  bool retryable() const;

 private:
  std::string sqlstate_;
};

class Result {
 public:
  explicit Result(PGresult* result) : result_(result, &PQclear) {}
  int rows() const { return PQntuples(result_.get()); }
  int64_t affected() const;  // rows an INSERT / UPDATE changed

  // One row, readable by the templates of ledger_sql.h.
  class Row {
   public:
    Row(const Result& result, int row) : result_(result), row_(row) {}
    std::string text(int column) const;
    int64_t int64(int column) const;
    bool is_null(int column) const;

   private:
    const Result& result_;
    int row_;
  };
  Row row(int index) const { return Row(*this, index); }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

// A query parameter in text format; nullopt is SQL NULL.
using Param = std::optional<std::string>;
inline Param param(const std::string& v) { return v; }
inline Param param(int64_t v) { return std::to_string(v); }
inline Param param(int v) { return std::to_string(v); }
inline Param param(uint32_t v) { return std::to_string(v); }
inline Param param(const std::optional<int64_t>& v) {
  return v ? Param(std::to_string(*v)) : std::nullopt;
}

class Connection {
 public:
  explicit Connection(const std::string& dsn);  // throws PgError when it cannot connect
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result exec(std::string_view sql, const std::vector<Param>& params = {});
  template <typename... Args>
  Result query(std::string_view sql, const Args&... args) {
    return exec(sql, std::vector<Param>{param(args)...});
  }
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  void rollback_quietly();  // ends a failed transaction; never throws

 private:
  PGconn* conn_ = nullptr;
};

class Pool {
 public:
  Pool(std::string dsn, size_t max_connections);

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    ~Lease() { pool_.give_back(std::move(conn_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection* operator->() { return conn_.get(); }
    Connection& operator*() { return *conn_; }

   private:
    Pool& pool_;
    std::unique_ptr<Connection> conn_;
  };

  Lease acquire();  // waits while every connection is lent out

 private:
  void give_back(std::unique_ptr<Connection> conn);

  std::string dsn_;
  size_t max_connections_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;  // lent + idle
};

}  // namespace sb::accounting::postgres
