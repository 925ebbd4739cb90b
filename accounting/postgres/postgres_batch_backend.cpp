#include "accounting/postgres/postgres_batch_backend.h"

namespace sb::accounting::postgres {

PostgresBatchBackend::PostgresBatchBackend(std::string dsn) : dsn_(std::move(dsn)) { connect(); }

void PostgresBatchBackend::connect() {
  transaction_.reset();
  conn_ = std::make_unique<Connection>(dsn_);
  transaction_ = std::make_unique<PostgresTransaction>(*conn_);
}

void PostgresBatchBackend::begin(const std::vector<const LockHint*>& hints) {
  if (!conn_->healthy()) connect();
  conn_->exec("BEGIN");
  transaction_->start(hints);
}

void PostgresBatchBackend::commit() {
  transaction_->flush();
  conn_->exec("COMMIT");
}

void PostgresBatchBackend::rollback() noexcept { conn_->rollback_quietly(); }

bool PostgresBatchBackend::retryable(std::exception_ptr error) const {
  try {
    std::rethrow_exception(error);
  } catch (const PgError& e) {
    return e.retryable();
  } catch (...) {
    return false;
  }
}

}  // namespace sb::accounting::postgres
