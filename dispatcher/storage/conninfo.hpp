// The libpq settings that make a lost or hung PostgreSQL fail within seconds instead of holding
// database threads (and the HTTP requests waiting on them) for minutes, added to the configured
// conninfo wherever the operator has not set them.
#pragma once

#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>

#include "config/config.hpp"

namespace centinela::storage {

struct ConnectionDefaults {
  std::chrono::seconds connect_timeout{3};  // libpq: per host tried; its minimum is 2 s
  // Sent as options='-c statement_timeout=...': the server cancels a statement (SQLSTATE 57014)
  // that runs, or waits for a lock, longer than this. 0: the server's setting.
  std::chrono::milliseconds statement_timeout{5'000};
  // TCP only (libpq ignores them on unix sockets): an idle connection to a host that vanished is
  // noticed after about idle + interval * count seconds, data left unacknowledged after
  // tcp_user_timeout.
  int keepalives_idle_s = 5;
  int keepalives_interval_s = 2;
  int keepalives_count = 3;
  std::chrono::milliseconds tcp_user_timeout{10'000};
};

// The configured values (database.connect_timeout, statement_timeout); the TCP ones are fixed.
ConnectionDefaults connection_defaults(const config::DatabaseConfig& db);

using EnvLookup = std::function<const char*(const char*)>;

// `conninfo` (key=value pairs or a postgresql:// URI, multi-host lists included) as key=value
// pairs, with `d` added for each setting the operator left out: neither in `conninfo` nor in its
// environment variable (PGCONNECT_TIMEOUT, PGOPTIONS). A statement_timeout is appended to the
// operator's options unless they already set one. Throws std::invalid_argument with libpq's
// message when `conninfo` does not parse.
std::string with_connection_defaults(const std::string& conninfo, const ConnectionDefaults& d,
                                     const EnvLookup& getenv = [](const char* name) { return std::getenv(name); });

}  // namespace centinela::storage
