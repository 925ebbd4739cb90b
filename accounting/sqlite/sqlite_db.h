#pragma once
// A thin RAII layer over the SQLite C API: a connection and prepared statements whose errors
// throw LedgerError with SQLite's message and what was being done.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace sb::accounting::sqlite {

class Database {
 public:
  explicit Database(const std::filesystem::path& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const char* sql);  // statements without results: pragmas, DDL, BEGIN/COMMIT
  sqlite3* handle() const { return db_; }
  [[noreturn]] void fail(std::string_view doing) const;  // throws with sqlite3_errmsg

 private:
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(Database& db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Resets the statement and binds the arguments to ?1, ?2, ... in order.
  template <typename... Args>
  Statement& bind_all(const Args&... args) {
    reset();
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }
  bool step();  // true while a row is available
  void run();   // steps a statement that returns no rows

  void reset();  // ends a read early so the statement holds no cursor

  int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string text(int column) const;
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  void bind(int index, int64_t value);
  void bind(int index, int value) { bind(index, static_cast<int64_t>(value)); }
  void bind(int index, uint32_t value) { bind(index, static_cast<int64_t>(value)); }
  void bind(int index, const std::string& value);
  void bind(int index, const std::optional<int64_t>& value);

  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace sb::accounting::sqlite
