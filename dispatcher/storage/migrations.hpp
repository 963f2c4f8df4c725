// Versioned schema migrations. `centinela migrate` applies the pending ones; `serve` refuses to
// start on a database that is behind, so code never runs against a schema it does not expect.
#pragma once

#include <stdexcept>
#include <string_view>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction>

#include "dispatcher/storage/crypto.hpp"

namespace centinela::storage {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
  // Data that only the data key can rewrite (encrypting what an older version stored in clear),
  // run in the migration's transaction after `sql`. `cipher` is null when no key was given: the
  // step then throws MissingDataKey if it has rows to rewrite, and the migration is not applied.
  void (*keyed_step)(pqxx::work& tx, const DataCipher* cipher) = nullptr;
};

// A pending migration must rewrite stored data and no data key was given.
struct MissingDataKey : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A keyed step was given a key that did not seal the stored data: what it would encrypt could
// never be read by the service's real key.
struct WrongDataKey : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const std::vector<Migration>& all_migrations();

// Applies every pending migration, each in its own transaction, under an advisory lock so two
// processes migrating at once do not race. Returns the versions applied. `cipher` (optional)
// lets keyed steps encrypt stored rows; on an empty database none is needed.
std::vector<int> migrate(pqxx::connection& c, const DataCipher* cipher = nullptr);

// Versions known to this binary that the database has not applied yet.
std::vector<int> pending_migrations(pqxx::connection& c);

}  // namespace centinela::storage
