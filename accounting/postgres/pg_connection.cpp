#include "accounting/postgres/pg_connection.h"

#include <charconv>

namespace sb::accounting::postgres {

bool PgError::retryable() const {
  return sqlstate_.empty()             // the connection broke
         || sqlstate_ == "40001"       // serialization_failure
         || sqlstate_ == "40P01"       // deadlock_detected
         || sqlstate_.starts_with("08");  // connection exceptions
}

int64_t Result::affected() const {
  const char* n = PQcmdTuples(result_.get());
  return (n && *n) ? std::stoll(n) : 0;
}

std::string Result::Row::text(int column) const {
  PGresult* r = result_.result_.get();
  return std::string(PQgetvalue(r, row_, column), static_cast<size_t>(PQgetlength(r, row_, column)));
}

int64_t Result::Row::int64(int column) const {
  if (is_null(column)) return 0;  // SUM over no rows
  const char* first = PQgetvalue(result_.result_.get(), row_, column);
  const char* last = first + PQgetlength(result_.result_.get(), row_, column);
  int64_t value = 0;
  if (std::from_chars(first, last, value).ec != std::errc{}) {
    throw LedgerError("postgres: not an integer: " + std::string(first, last));
  }
  return value;
}

bool Result::Row::is_null(int column) const {
  return PQgetisnull(result_.result_.get(), row_, column) != 0;
}

Connection::Connection(const std::string& dsn) : conn_(PQconnectdb(dsn.c_str())) {
  if (!healthy()) {
    const std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
    PQfinish(conn_);
    throw PgError("postgres: cannot connect: " + message, "");
  }
  // Notices ("relation already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() { PQfinish(conn_); }

Result Connection::exec(std::string_view sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  const std::string text(sql);
  PGresult* raw = PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
  const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = raw ? PQresultErrorMessage(raw) : PQerrorMessage(conn_);
    if (raw) PQclear(raw);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw PgError("postgres: " + text.substr(0, 60) + ": " + message, state ? state : "");
  }
  return Result(raw);
}

void Connection::rollback_quietly() {
  if (healthy()) PQclear(PQexec(conn_, "ROLLBACK"));
}

Pool::Pool(std::string dsn, size_t max_connections)
    : dsn_(std::move(dsn)), max_connections_(max_connections) {}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < max_connections_; });
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(conn));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Connection>(dsn_));
  } catch (...) {
    lock.lock();
    --open_;
    available_.notify_one();
    throw;
  }
}

void Pool::give_back(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mutex_);
    if (conn && conn->healthy()) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;  // a broken connection is dropped; the next acquire opens a fresh one
    }
  }
  available_.notify_one();
}

}  // namespace sb::accounting::postgres
