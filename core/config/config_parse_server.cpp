// server: and ledger: sections.
#include "core/config/config_sections.h"
#include "core/config/listen_address.h"

namespace sb::config {

ServerConfig parse_server(const YamlReader& reader, const Field& section) {
  const MapReader map(reader, section, {"listen", "admin_token", "max_body_bytes", "request_timeout_ms"});
  ServerConfig server;
  if (auto f = map.get("listen")) {
    try {
      ListenAddress address = parse_listen_address(reader.string(*f));
      server.host = std::move(address.host);
      server.port = address.port;
    } catch (const std::invalid_argument& e) {
      reader.fail(*f, f->path + ": " + e.what());
    }
  }
  if (auto f = map.get("admin_token")) {
    // An unset (or empty) variable turns the admin API off instead of failing.
    Expansion token = reader.expand(*f);
    if (token.unset.empty() && !token.text.empty()) server.admin_token = std::move(token.text);
  }
  if (auto f = map.get("max_body_bytes")) server.max_body_bytes = static_cast<uint64_t>(reader.integer(*f, 1));
  if (auto f = map.get("request_timeout_ms")) server.request_timeout_ms = reader.integer(*f, 1);
  return server;
}

LedgerConfig parse_ledger(const YamlReader& reader, const Field& section) {
  const MapReader map(reader, section, {"driver", "path", "dsn"});
  LedgerConfig ledger;
  const std::optional<Field> driver = map.get("driver");
  if (driver) ledger.driver = reader.choice(*driver, kLedgerDriverNames);
  if (auto f = map.get("path")) ledger.path = reader.string(*f);
  if (auto f = map.get("dsn")) ledger.dsn = reader.string(*f);
  if (ledger.driver == LedgerDriver::Postgres && ledger.dsn.empty())
    reader.fail(*driver, "ledger.driver: postgres needs ledger.dsn (e.g. postgresql://user@host/db)");
  return ledger;
}

}  // namespace sb::config
