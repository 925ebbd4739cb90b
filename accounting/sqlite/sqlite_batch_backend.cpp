#include "accounting/sqlite/sqlite_batch_backend.h"

#include <chrono>
#include <string>
#include <thread>

namespace sb::accounting::sqlite {

namespace {

constexpr int kWalAttempts = 1000;  // 10 s at 10 ms, like busy_timeout

// Switching to WAL needs a moment of exclusive access and does not wait through the busy
// handler, so processes opening a new ledger file together retry it briefly.
void enable_wal(Database& db) {
  for (int attempt = 1;; ++attempt) {
    std::string mode;
    const int rc = sqlite3_exec(
        db.handle(), "PRAGMA journal_mode = WAL",
        [](void* out, int, char** values, char**) {
          *static_cast<std::string*>(out) = values[0] ? values[0] : "";
          return 0;
        },
        &mode, nullptr);
    if (rc == SQLITE_OK && mode == "wal") return;
    if (rc == SQLITE_OK) throw LedgerError("sqlite: cannot use WAL, journal mode is " + mode);
    if ((rc & 0xff) != SQLITE_BUSY || attempt == kWalAttempts) db.fail("PRAGMA journal_mode = WAL");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// The connection, configured and with the schema in place, before statements are prepared.
Database& prepared(Database& db) {
  db.exec("PRAGMA busy_timeout = 10000");
  enable_wal(db);
  db.exec("PRAGMA synchronous = FULL");
  create_schema(db);
  return db;
}

}  // namespace

SqliteBatchBackend::SqliteBatchBackend(const std::filesystem::path& path)
    : db_(path), transaction_(prepared(db_)) {}

void SqliteBatchBackend::begin(const std::vector<const LockHint*>&) { db_.exec("BEGIN IMMEDIATE"); }

void SqliteBatchBackend::commit() { db_.exec("COMMIT"); }

void SqliteBatchBackend::rollback() noexcept {
  if (!sqlite3_get_autocommit(db_.handle())) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

bool SqliteBatchBackend::retryable(std::exception_ptr) const {
  return false;  // busy_timeout already waited; other errors do not pass on a rerun
}

}  // namespace sb::accounting::sqlite
